// SEND_RATE as a token bucket: `rate` tokens a second, at most `burst` saved up. Pure
// (the caller passes the clock), so it is tested without timers. A reservation may drive
// the bucket below zero: the caller then waits the returned time, and later callers queue
// behind it, which spreads a pool's sends evenly instead of letting them all wake at once.

export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new RangeError(`rate must be a positive number, got ${rate}`)
    if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`)
    this.tokens = burst
    this.last = now
  }

  /** Takes one token; returns how many ms to wait before using it (0: go now). */
  reserve(now: number): number {
    this.refill(now)
    this.tokens -= 1
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000)
  }

  /** Gives a reserved token back (a send that was cancelled before it went out). */
  refund(now: number): void {
    this.refill(now)
    this.tokens = Math.min(this.burst, this.tokens + 1)
  }

  /** Tokens available now (negative: that many reservations are waiting). */
  available(now: number): number {
    this.refill(now)
    return this.tokens
  }

  private refill(now: number): void {
    // A clock that steps back (NTP) must not mint or burn tokens.
    const elapsed = Math.max(0, now - this.last)
    this.last = Math.max(this.last, now)
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.rate)
  }
}

/** A tenth of a second's sends (at least one): smooth enough that any one second stays near `rate`. */
export function defaultBurst(rate: number): number {
  return Math.max(1, Math.ceil(rate / 10))
}
