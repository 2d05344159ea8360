import { describe, expect, it } from 'vitest'
import { addDays, isDue, mailWeekdayOf, weekdayOf, windowDates } from '../../../src/digest/plan'

const active = { status: 'active', paused: false, frequency: 'daily' as const, weekday: 1 }

describe('who is due', () => {
  it('daily readers every day, weekly readers when the email arrives on their weekday', () => {
    expect(weekdayOf('2025-06-02')).toBe(1) // a Monday
    for (const d of ['2025-06-01', '2025-06-02', '2025-06-07']) expect(isDue(active, d)).toBe(true)
    const weekly = { ...active, frequency: 'weekly' as const, weekday: 3 }
    // The list of Tuesday 3 June is the email of Wednesday 4 June (the morning after).
    expect(mailWeekdayOf('2025-06-03')).toBe(3)
    expect(isDue(weekly, '2025-06-03')).toBe(true)
    expect(['2025-06-02', '2025-06-04', '2025-06-05', '2025-06-08'].some((d) => isDue(weekly, d))).toBe(false)
  })

  it('only active, unpaused readers', () => {
    expect(isDue({ ...active, paused: true }, '2025-06-02')).toBe(false)
    for (const status of ['pending', 'unsubscribed', 'bounced'])
      expect(isDue({ ...active, status }, '2025-06-02')).toBe(false)
  })
})

describe('window of dates', () => {
  it('a daily email covers its date; a weekly one the seven days ending on it, across a month', () => {
    expect(windowDates('2025-06-02', 'daily')).toEqual(['2025-06-02'])
    expect(windowDates('2025-06-02', 'weekly')).toEqual([
      '2025-05-27',
      '2025-05-28',
      '2025-05-29',
      '2025-05-30',
      '2025-05-31',
      '2025-06-01',
      '2025-06-02',
    ])
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
  })
})
