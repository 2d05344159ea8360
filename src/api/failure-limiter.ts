// Wrong admin tokens, counted per client IP: after MAX failures in a window the address is
// refused (even with the right token) until the window has passed since its first
// failure. Only failures count, so an operator who signs in many times is never locked
// out by their own successes. In memory, per process: a guess budget of MAX per window
// per instance is still far below what a 16+ character token needs.
export type LimiterOptions = { max?: number; windowMs?: number; maxKeys?: number }

type Entry = { first: number; failures: number }

export class FailureLimiter {
  private readonly entries = new Map<string, Entry>()
  readonly max: number
  readonly windowMs: number
  private readonly maxKeys: number

  constructor(opts: LimiterOptions = {}) {
    this.max = opts.max ?? 5
    this.windowMs = opts.windowMs ?? 15 * 60_000
    this.maxKeys = opts.maxKeys ?? 10_000
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  blockedFor(key: string, now = Date.now()): number {
    const e = this.entries.get(key)
    if (!e) return 0
    if (now - e.first >= this.windowMs) {
      this.entries.delete(key)
      return 0
    }
    return e.failures >= this.max ? e.first + this.windowMs - now : 0
  }

  /** Counts one failure; returns how many `key` has in its window. */
  fail(key: string, now = Date.now()): number {
    this.blockedFor(key, now)
    const e = this.entries.get(key) ?? { first: now, failures: 0 }
    e.failures++
    this.entries.set(key, e)
    // Bounded memory under a spray from many addresses: the oldest entries go first.
    if (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value!)
    return e.failures
  }
}
