// ClockOffset: the database clock mapped onto a worker's own, never ahead of the truth.
import { describe, expect, it } from 'vitest'
import { ClockOffset } from '../../../src/delivery/send-pace'

// The database clock runs 1,000,000 ms ahead of the local one in these cases.
const TRUE = 1_000_000

describe('ClockOffset', () => {
  it('keeps the tightest lower bound: one slow answer does not shift the windows after it', () => {
    const c = new ClockOffset()
    // Asked at 0, read by the database at local 2, answer seen at 4: offset ≥ TRUE − 2.
    expect(c.observe(TRUE + 2, 0, 4)).toBe(TRUE - 2)
    // An answer that sat 900 ms on a busy event loop proves less (≥ TRUE − 900) and is not taken.
    const est = c.observe(TRUE + 1_010, 1_000, 1_910)
    expect(est).toBeLessThanOrEqual(TRUE)
    // (less the decay over those 1.9 s: 1.9 ms)
    expect(est).toBeGreaterThan(TRUE - 5)
  })

  it('never lies above the truth, whatever the answer times', () => {
    const c = new ClockOffset()
    let t = 0
    for (let i = 0; i < 200; i++) {
      const asked = t
      const read = asked + ((i * 37) % 11)
      const answered = read + ((i * 53) % 400)
      expect(c.observe(TRUE + read, asked, answered)).toBeLessThanOrEqual(TRUE)
      t = answered + 10
    }
  })

  it('follows a database clock set back at once, and one drifting slower within the decay', () => {
    const c = new ClockOffset(1e-3)
    c.observe(TRUE + 1, 0, 2)
    // The database clock is set 500 ms back: this answer's upper bound says so, to within the
    // 1 ms between asking and the database's reading.
    expect(c.observe(TRUE - 500 + 101, 100, 102)).toBeLessThanOrEqual(TRUE - 499)
    // Drifting 100 µs a second slower (100 ppm) for 10 minutes, with slow answers only (200 ms):
    // the estimate decays faster than the drift and stays at or below the truth.
    const d = new ClockOffset(1e-3)
    d.observe(TRUE + 1, 0, 2)
    for (let s = 1; s <= 600; s++) {
      const local = s * 1_000
      const truth = TRUE - s * 0.1
      expect(d.observe(truth + local + 1, local, local + 200)).toBeLessThanOrEqual(truth)
    }
  })
})
