import { spawn, type ChildProcess } from 'node:child_process'
import { nodeArgs, SERVER_ENTRY } from '#tests/setup/entries'

export type Proc = { child: ChildProcess; output: () => string; exited: Promise<number | null> }

/** Starts an entry (tests/setup/entries.ts) with a production-like environment on top of `env`. */
export function startProcess(script: string, env: Record<string, string>): Proc {
  let output = ''
  const child = spawn(process.execPath, nodeArgs(script), {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SESSION_SECRET: 'drill-'.padEnd(40, 'x'),
      STRIPE_SECRET_KEY: 'sk_test_drill',
      STRIPE_WEBHOOK_SECRET: 'whsec_drill',
      LOG_REQUESTS: 'false',
      MIN_FORM_FILL_MS: '0',
      RATE_LIMIT_ALLOW_IPS: '127.0.0.1,::1,::ffff:127.0.0.1',
      STRIPE_API_BASE: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (d) => (output += d))
  child.stderr?.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

export async function waitForHealthy(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`not healthy: ${url}`)
}

export async function freePort(): Promise<number> {
  const net = await import('node:net')
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

/** The compiled web server (`npm run serve`'s entry) on a free loopback port, `env` on top. */
export async function startServer(env: Record<string, string>): Promise<Proc & { base: string }> {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  return { ...startProcess(SERVER_ENTRY, { PORT: String(port), PUBLIC_URL: base, ...env }), base }
}
