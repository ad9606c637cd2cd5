// `web_rss_mb` (ADR 1300): the resident memory of the bench's web processes, polled from
// /proc/<pid>/status while a load runs. The web processes are the cluster children of the server
// the bench started (or that server itself when it runs one process). Linux only: elsewhere the
// figures are null.
import fs from 'node:fs'

function childrenOf(pid: number): number[] {
  const children: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) children.push(Number(entry))
    } catch {
      // the process exited meanwhile
    }
  }
  return children
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const m = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

/** Starts polling every 200 ms; stop() gives the largest RSS seen per process and overall. */
export function sampleWebRss(serverPid: number) {
  if (!serverPid || !fs.existsSync('/proc/self/status')) {
    return { stop: () => ({ maxMb: null, perProcess: null }) }
  }
  const peakKb = new Map<number, number>()
  const sample = () => {
    const children = childrenOf(serverPid)
    for (const pid of children.length ? children : [serverPid]) {
      const kb = statusKb(pid, 'VmRSS')
      if (kb !== null) peakKb.set(pid, Math.max(peakKb.get(pid) ?? 0, kb))
    }
  }
  sample()
  const timer = setInterval(sample, 200)
  return {
    stop() {
      clearInterval(timer)
      sample()
      const mb = [...peakKb.values()].map((kb) => Math.round(kb / 102.4) / 10)
      return {
        maxMb: mb.length ? Math.max(...mb) : null,
        // each web process's peak, e.g. "182.4 / 176.1"
        perProcess: mb.length ? mb.join(' / ') : null,
      }
    },
  }
}
