// Wrong admin tokens, counted per client IP: after MAX failures in a window the address is
// refused (even with the right token) until the window has passed since its first
// failure. Only failures count, so an operator who signs in many times is never locked
// out by their own successes. Counted in the shared window counters (limits/), so every
// instance of the service sees the same failures: two instances allow MAX, not 2 × MAX.
import type { WindowCounter } from '../limits/window-counter'

export type LimiterOptions = { max?: number; windowMs?: number }

export class FailureLimiter {
  readonly max: number
  readonly windowMs: number

  constructor(
    private readonly counter: WindowCounter,
    opts: LimiterOptions = {},
  ) {
    this.max = opts.max ?? 5
    this.windowMs = opts.windowMs ?? 15 * 60_000
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  async blockedFor(key: string): Promise<number> {
    const w = await this.counter.peek(`admin-token:${key}`)
    return w.hits >= this.max ? Math.max(1, w.resetInMs) : 0
  }

  /** Counts one failure; returns how many `key` has in its window. */
  async fail(key: string): Promise<number> {
    return (await this.counter.hit(`admin-token:${key}`, this.windowMs)).hits
  }
}
