// The late-list policy: what a run does with each answer a source can give.
import { describe, expect, it } from 'vitest'
import { decideList, isWeekend, type ListAnswer } from '../../../src/jobs/list-policy'

const policy = { maxAttempts: 3, baseMs: 1_000, maxMs: 1_000 }
const MONDAY = '2025-06-02'
const SATURDAY = '2025-06-07'
const ctx = (over: Partial<Parameters<typeof decideList>[1]> = {}) => ({
  date: MONDAY,
  attempt: 1,
  policy,
  canWait: true,
  ...over,
})
const hf = (papers: number): ListAnswer => ({ kind: 'list', format: 'hf-json', papers })
const atom = (papers: number): ListAnswer => ({ kind: 'list', format: 'arxiv-atom', papers })
const error = (
  code: Extract<ListAnswer, { kind: 'error' }>['code'],
  message = `${code} happened`,
): ListAnswer => ({
  kind: 'error',
  code,
  message,
})

describe('decideList', () => {
  it('stores any list with papers, whatever the day', () => {
    expect(decideList(hf(20), ctx())).toEqual({ action: 'store' })
    expect(decideList(atom(3), ctx({ date: SATURDAY }))).toEqual({ action: 'store' })
  })

  it('an empty Hugging Face list on a weekday is "not yet": retried, then failed with the reason', () => {
    expect(decideList(hf(0), ctx())).toEqual({
      action: 'retry',
      reason: 'the list of 2025-06-02 is still empty',
      delayMs: 1_000,
    })
    expect(decideList(hf(0), ctx({ attempt: 3 }))).toEqual({
      action: 'fail',
      reason: 'no list for 2025-06-02 after 3 attempts: the list of 2025-06-02 is still empty',
    })
  })

  it('waits by the shared RetryPolicy: doubling from baseMs, capped at maxMs, no jitter', () => {
    const doubling = { maxAttempts: 5, baseMs: 1_000, maxMs: 3_000 }
    const waits = [1, 2, 3, 4].map((attempt) => decideList(hf(0), ctx({ attempt, policy: doubling })))
    expect(waits.map((d) => (d.action === 'retry' ? d.delayMs : d.action))).toEqual([
      1_000, 2_000, 3_000, 3_000,
    ])
  })

  it('a 404, an empty body or an unreachable source is waited for within the bound', () => {
    for (const code of ['not-found', 'empty', 'network', 'http'] as const) {
      expect(decideList(error(code), ctx({ attempt: 2 }))).toMatchObject({
        action: 'retry',
        reason: `${code} happened`,
      })
      expect(decideList(error(code), ctx({ attempt: 3 }))).toMatchObject({ action: 'fail' })
    }
  })

  it('an empty list on a weekend ends the run quietly, for any source', () => {
    expect(decideList(hf(0), ctx({ date: SATURDAY }))).toEqual({
      action: 'nothing-today',
      reason: 'the list of 2025-06-07 (a weekend) is empty',
    })
    expect(decideList(atom(0), ctx({ date: '2025-06-08' }))).toMatchObject({ action: 'nothing-today' })
  })

  it('an empty arXiv feed on a weekday means nothing was announced (a holiday), not "late"', () => {
    expect(decideList(atom(0), ctx())).toEqual({
      action: 'nothing-today',
      reason: 'the arxiv-atom feed announced nothing on 2025-06-02',
    })
  })

  it('a body no parser can read fails at once: waiting will not fix it', () => {
    for (const code of ['html', 'not-a-feed', 'truncated', 'too-large', 'source-error'] as const)
      expect(decideList(error(code, 'bad body'), ctx())).toEqual({ action: 'fail', reason: 'bad body' })
  })

  it('a local file is never waited for', () => {
    expect(decideList(hf(0), ctx({ canWait: false }))).toEqual({
      action: 'fail',
      reason: 'no list for 2025-06-02: the list of 2025-06-02 is still empty',
    })
    expect(decideList(hf(0), ctx({ canWait: false, date: SATURDAY }))).toMatchObject({
      action: 'nothing-today',
    })
  })
})

describe('isWeekend', () => {
  it('reads the calendar date itself, in UTC', () => {
    expect([MONDAY, '2025-06-06', SATURDAY, '2025-06-08'].map(isWeekend)).toEqual([false, false, true, true])
  })
})

describe('the reason of a failure', () => {
  it('counts attempts only when there was more than one', () => {
    expect(
      decideList(error('not-found', 'HTTP 404'), ctx({ policy: { maxAttempts: 1, baseMs: 0, maxMs: 0 } })),
    ).toEqual({
      action: 'fail',
      reason: 'no list for 2025-06-02: HTTP 404',
    })
  })
})
