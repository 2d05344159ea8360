import { describe, expect, it } from 'vitest'
import { afterTemporaryFailure, backoffMs, DEFAULT_RETRY } from '../../../src/delivery/backoff'

const policy = { maxAttempts: 5, baseMs: 1_000, maxMs: 10_000 }

describe('backoffMs', () => {
  it('doubles from the base and stops at the cap', () => {
    const full = [1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, policy, () => 1))
    expect(full).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000])
  })

  it('jitters between half and all of the step', () => {
    expect(backoffMs(3, policy, () => 0)).toBe(2_000)
    expect(backoffMs(3, policy, () => 0.5)).toBe(3_000)
    for (let i = 0; i < 200; i++) {
      const d = backoffMs(3, policy)
      expect(d).toBeGreaterThanOrEqual(2_000)
      expect(d).toBeLessThanOrEqual(4_000)
    }
  })

  it('stays finite for absurd step numbers and treats n < 1 as the first step', () => {
    expect(backoffMs(10_000, policy, () => 1)).toBe(10_000)
    expect(backoffMs(0, policy, () => 1)).toBe(1_000)
  })
})

describe('afterTemporaryFailure', () => {
  it('retries with growing delays until the attempts are used up', () => {
    const decisions = [1, 2, 3, 4, 5].map((a) => afterTemporaryFailure(a, policy, () => 1))
    expect(decisions).toEqual([
      { retry: true, delayMs: 1_000 },
      { retry: true, delayMs: 2_000 },
      { retry: true, delayMs: 4_000 },
      { retry: true, delayMs: 8_000 },
      { retry: false },
    ])
  })

  it('by default keeps trying for about an hour before giving up', () => {
    let total = 0
    for (let a = 1; ; a++) {
      const d = afterTemporaryFailure(a, DEFAULT_RETRY, () => 1)
      if (!d.retry) break
      total += d.delayMs
    }
    expect(total).toBeGreaterThan(45 * 60_000)
    expect(total).toBeLessThan(3 * 3_600_000)
  })
})
