/**
 * Rate limits count in fixed windows aligned to the clock. A test that counts up to a limit
 * must not straddle a window boundary (its hits would split across two windows), so it first
 * waits until at least `marginSeconds` remain in the current window.
 */
export async function awayFromWindowEdge(windowSeconds = 60, marginSeconds = 15) {
  const intoWindow = (Date.now() / 1000) % windowSeconds
  const left = windowSeconds - intoWindow
  if (left < marginSeconds) await new Promise((r) => setTimeout(r, left * 1000 + 200))
}
