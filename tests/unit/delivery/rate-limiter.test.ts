import { describe, expect, it } from 'vitest'
import { defaultBurst, TokenBucket } from '../../../src/delivery/rate-limiter'

/** Simulates callers that each send once their reservation's wait is over; returns send times. */
function schedule(bucket: TokenBucket, n: number, arrivals: (i: number) => number): number[] {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const at = arrivals(i)
    times.push(at + bucket.reserve(at))
  }
  return times
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then spaces sends at the rate', () => {
    const b = new TokenBucket(10, 3, 0)
    const times = schedule(b, 8, () => 0)
    expect(times).toEqual([0, 0, 0, 100, 200, 300, 400, 500])
  })

  it('never exceeds rate × seconds + burst in any window, whatever the arrival pattern', () => {
    const rate = 50
    const burst = 5
    const b = new TokenBucket(rate, burst, 0)
    // Arrivals in clumps: 40 at t=0, 40 at t=300 ms, then one every 5 ms.
    const times = schedule(b, 400, (i) => (i < 40 ? 0 : i < 80 ? 300 : 300 + (i - 80) * 5)).sort(
      (x, y) => x - y,
    )
    for (let i = 0; i < times.length; i++) {
      for (const windowMs of [100, 1000, 3000]) {
        let j = i
        while (j < times.length && times[j]! < times[i]! + windowMs) j++
        expect(j - i).toBeLessThanOrEqual(Math.ceil((rate * windowMs) / 1000) + burst)
      }
    }
    // And it does not under-use the rate either: 400 sends take about (400 - burst) / rate seconds.
    expect(times.at(-1)!).toBeGreaterThanOrEqual(((400 - burst) / rate) * 1000 - 1)
    expect(times.at(-1)!).toBeLessThanOrEqual(((400 - burst) / rate) * 1000 + 20)
  })

  it('refills with elapsed time but never beyond the burst', () => {
    const b = new TokenBucket(100, 4, 0)
    for (let i = 0; i < 4; i++) expect(b.reserve(0)).toBe(0)
    expect(b.reserve(0)).toBe(10)
    expect(b.available(10_000)).toBe(4)
  })

  it('refund returns a reservation that was not used', () => {
    const b = new TokenBucket(1, 1, 0)
    expect(b.reserve(0)).toBe(0)
    expect(b.reserve(0)).toBe(1000)
    b.refund(0)
    expect(b.reserve(0)).toBe(1000)
  })

  it('ignores a clock that steps back', () => {
    const b = new TokenBucket(10, 1, 1_000)
    expect(b.reserve(1_000)).toBe(0)
    expect(b.reserve(500)).toBe(100)
    expect(b.available(1_000)).toBe(-1)
  })

  it('rejects nonsense settings', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow(/rate/)
    expect(() => new TokenBucket(Number.POSITIVE_INFINITY, 1, 0)).toThrow(/rate/)
    expect(() => new TokenBucket(5, 0, 0)).toThrow(/burst/)
  })

  it('default burst is a tenth of a second of sends, at least one', () => {
    expect(defaultBurst(0.5)).toBe(1)
    expect(defaultBurst(50)).toBe(5)
    expect(defaultBurst(1000)).toBe(100)
  })
})
