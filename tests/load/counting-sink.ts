// A real SMTP server (smtp-server on loopback) that accepts and counts mail without parsing it, so
// that the letter benchmark measures the senders rather than the sink. It runs in its own process
// (`startCountingSink`), like a real mail relay on another host: a sink in the sender's process
// would charge its own SMTP parsing to the sender's core, the engine and the raw baseline alike.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { SMTPServer } from 'smtp-server'

export type SinkStats = { received: number; uniqueMessageIds: number; missingMessageIds: number }

type FromSink = { type: 'listening'; port: number } | { type: 'stats'; stats: SinkStats }
type ToSink = { type: 'take' } | { type: 'close' }

/**
 * The SMTP server both sinks run (in its own process here, or in the sender's with
 * `--inline-sink`): it keeps each message's Message-ID and nothing else.
 */
export function createCountingServer() {
  let messageIds: string[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      let head = ''
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('latin1')
      })
      stream.on('end', () => {
        messageIds.push(/^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '')
        callback()
      })
    },
  })
  /** What arrived since the last take. */
  const take = (): SinkStats => {
    const ids = messageIds
    messageIds = []
    return {
      received: ids.length,
      uniqueMessageIds: new Set(ids.filter(Boolean)).size,
      missingMessageIds: ids.filter((id) => id === '').length,
    }
  }
  return { server, take }
}

function serve() {
  const { server, take } = createCountingServer()
  const send = (m: FromSink) => process.send!(m)
  process.on('message', (m: ToSink) => {
    if (m.type === 'take') {
      send({ type: 'stats', stats: take() })
    } else {
      server.close(() => process.exit(0))
    }
  })
  process.on('disconnect', () => process.exit(0))
  server.listen(0, '127.0.0.1', () => {
    const address = server.server.address()
    send({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 })
  })
}

/** Starts the sink in a child process; `take()` counts what arrived since the last take. */
export async function startCountingSink() {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const next = <T extends FromSink['type']>(type: T) =>
    new Promise<Extract<FromSink, { type: T }>>((resolve, reject) => {
      const onMessage = (m: FromSink) => {
        if (m.type !== type) return
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(m as Extract<FromSink, { type: T }>)
      }
      const onExit = (code: number | null) => reject(new Error(`SMTP sink exited (${code})`))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  const { port } = await next('listening')
  return {
    url: `smtp://127.0.0.1:${port}`,
    pid: child.pid,
    async take(): Promise<SinkStats> {
      const reply = next('stats')
      child.send({ type: 'take' } satisfies ToSink)
      return (await reply).stats
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.send({ type: 'close' } satisfies ToSink)
      }),
  }
}

if (process.argv.includes('--serve') && process.send) serve()
