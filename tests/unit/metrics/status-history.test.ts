import { describe, expect, it } from 'vitest'
import {
  type DayChange,
  journeyByDay,
  statusHistory,
  windowDays,
  zeroCounts,
} from '../../../src/metrics/status-history'

const change = (
  day: string,
  kind: DayChange['kind'],
  from: DayChange['from'],
  to: DayChange['to'],
  n = 1,
): DayChange => ({
  day,
  kind,
  from,
  to,
  n,
})

describe('windowDays', () => {
  it('lists the days ending today, oldest first, across a month and a leap day', () => {
    expect(windowDays('2028-03-01', 3)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01'])
    expect(windowDays('2026-01-01', 1)).toEqual(['2026-01-01'])
  })
})

describe('statusHistory', () => {
  const days = ['2026-05-01', '2026-05-02', '2026-05-03']

  it('undoes each later day to get the counts at the end of every day', () => {
    const current = { ...zeroCounts(), active: 10, pending: 2, unsubscribed: 3 }
    const changes = [
      change('2026-05-03', 'unsubscribe_one_click', 'active', 'unsubscribed', 2),
      change('2026-05-02', 'signup', null, 'pending', 4),
      change('2026-05-02', 'confirm', 'pending', 'active', 3),
      change('2026-05-01', 'signup', null, 'pending', 9),
    ]
    expect(statusHistory(current, changes, days)).toEqual([
      { date: '2026-05-01', pending: 1, active: 9, paused: 0, unsubscribed: 1, bounced: 0 },
      { date: '2026-05-02', pending: 2, active: 12, paused: 0, unsubscribed: 1, bounced: 0 },
      { date: '2026-05-03', pending: 2, active: 10, paused: 0, unsubscribed: 3, bounced: 0 },
    ])
  })

  it('keeps a list without history flat, and undoes changes stamped after the window first', () => {
    const current = { ...zeroCounts(), active: 5 }
    expect(statusHistory(current, [], days).map((d) => d.active)).toEqual([5, 5, 5])
    const ahead = [change('2026-05-04', 'confirm', 'pending', 'active', 1)]
    expect(statusHistory(current, ahead, days).map((d) => [d.active, d.pending])).toEqual([
      [4, 1],
      [4, 1],
      [4, 1],
    ])
  })
})

describe('journeyByDay', () => {
  it('counts each kind on its day and ignores days outside the window and kinds it does not chart', () => {
    const rows = journeyByDay(
      [
        change('2026-05-02', 'signup', null, 'pending', 3),
        change('2026-05-02', 'signup', 'unsubscribed', 'pending', 1),
        change('2026-05-02', 'unsubscribe_page', 'active', 'unsubscribed', 2),
        change('2026-05-03', 'bounce', 'paused', 'bounced', 1),
        change('2026-05-03', 'pause', 'active', 'paused', 7),
        change('2026-04-30', 'confirm', 'pending', 'active', 5),
      ],
      ['2026-05-02', '2026-05-03'],
    )
    expect(rows).toEqual([
      {
        date: '2026-05-02',
        signups: 4,
        confirmations: 0,
        unsubscribesOneClick: 0,
        unsubscribesPage: 2,
        bounces: 0,
      },
      {
        date: '2026-05-03',
        signups: 0,
        confirmations: 0,
        unsubscribesOneClick: 0,
        unsubscribesPage: 0,
        bounces: 1,
      },
    ])
  })
})
