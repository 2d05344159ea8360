// The start-up catch-up decision with fixed clocks and time zones: node-cron's own
// matcher answers for the day fields, exactly as in the scheduler.
import cron from 'node-cron'
import { afterAll, describe, expect, it } from 'vitest'
import {
  type DueRun,
  lastDueToday,
  listDateFor,
  localDate,
  localToInstant,
  resumeDecision,
} from '../../../src/jobs/due-today'

const tasks: { destroy(): unknown }[] = []
afterAll(async () => {
  for (const t of tasks) await t.destroy()
})

function due(pattern: string, tz: string, now: string): DueRun | null {
  const task = cron.createTask(pattern, () => {}, { timezone: tz })
  tasks.push(task)
  return lastDueToday({
    now: new Date(now),
    tz,
    fields: cron.parse(pattern),
    matches: (at) => task.match(at),
  })
}

const iso = (d: DueRun | null) => (d ? { date: d.date, at: d.at.toISOString() } : null)

describe('lastDueToday', () => {
  it('06:00 UTC: not before six, the same run all the rest of the day', () => {
    expect(iso(due('0 6 * * *', 'UTC', '2025-06-02T05:59:59Z'))).toBeNull()
    expect(iso(due('0 6 * * *', 'UTC', '2025-06-02T06:00:00Z'))).toEqual({
      date: '2025-06-02',
      at: '2025-06-02T06:00:00.000Z',
    })
    expect(iso(due('0 6 * * *', 'UTC', '2025-06-02T23:59:59Z'))).toEqual({
      date: '2025-06-02',
      at: '2025-06-02T06:00:00.000Z',
    })
  })

  it('reads the day and the hour in the schedule time zone, not in UTC', () => {
    // 06:30 in Berlin (CEST, UTC+2) is 04:30 UTC.
    expect(iso(due('0 6 * * *', 'Europe/Berlin', '2025-06-02T04:30:00Z'))).toEqual({
      date: '2025-06-02',
      at: '2025-06-02T04:00:00.000Z',
    })
    // 00:30 on 2 June in Berlin, still 1 June in UTC: today's 06:00 is still ahead.
    expect(due('0 6 * * *', 'Europe/Berlin', '2025-06-01T22:30:00Z')).toBeNull()
    // 20:00 on 1 June in Los Angeles, already 2 June in UTC: the run of 1 June was due.
    expect(iso(due('0 6 * * *', 'America/Los_Angeles', '2025-06-02T03:00:00Z'))).toEqual({
      date: '2025-06-01',
      at: '2025-06-01T13:00:00.000Z',
    })
    // Winter time: Berlin is UTC+1.
    expect(iso(due('0 6 * * *', 'Europe/Berlin', '2025-01-15T12:00:00Z'))?.at).toBe(
      '2025-01-15T05:00:00.000Z',
    )
  })

  it('takes the latest firing of a pattern that fires several times a day', () => {
    expect(iso(due('*/15 6-8 * * *', 'UTC', '2025-06-02T07:20:00Z'))?.at).toBe('2025-06-02T07:15:00.000Z')
    expect(iso(due('*/15 6-8 * * *', 'UTC', '2025-06-02T21:00:00Z'))?.at).toBe('2025-06-02T08:45:00.000Z')
    expect(iso(due('30 0 6 * * *', 'UTC', '2025-06-02T06:00:29Z'))).toBeNull()
    expect(iso(due('30 0 6 * * *', 'UTC', '2025-06-02T06:00:30Z'))?.at).toBe('2025-06-02T06:00:30.000Z')
  })

  it('honours the day fields: weekdays only, and the last day of the month', () => {
    // 2025-06-07 is a Saturday, 2025-06-09 a Monday.
    expect(due('0 6 * * 1-5', 'UTC', '2025-06-07T12:00:00Z')).toBeNull()
    expect(iso(due('0 6 * * 1-5', 'UTC', '2025-06-09T12:00:00Z'))?.date).toBe('2025-06-09')
    expect(due('0 6 L * *', 'UTC', '2025-06-29T12:00:00Z')).toBeNull()
    expect(iso(due('0 6 L * *', 'UTC', '2025-06-30T12:00:00Z'))?.date).toBe('2025-06-30')
  })

  it('a time the clocks skip over is not due (as node-cron skips it)', () => {
    // 30 March 2025, Berlin: 02:00 → 03:00, so 02:30 never happens.
    expect(due('30 2 * * *', 'Europe/Berlin', '2025-03-30T10:00:00Z')).toBeNull()
    expect(iso(due('30 2 * * *', 'Europe/Berlin', '2025-03-31T10:00:00Z'))?.at).toBe(
      '2025-03-31T00:30:00.000Z',
    )
  })
})

describe('localToInstant and localDate', () => {
  it('convert wall-clock times both ways around a DST change', () => {
    const parts = { year: 2025, month: 10, day: 26, hour: 12, minute: 0, second: 0 }
    expect(localToInstant(parts, 'Europe/Berlin').toISOString()).toBe('2025-10-26T11:00:00.000Z')
    expect(localToInstant({ ...parts, day: 25 }, 'Europe/Berlin').toISOString()).toBe(
      '2025-10-25T10:00:00.000Z',
    )
    expect(localDate(new Date('2025-10-25T23:30:00Z'), 'Asia/Tokyo')).toBe('2025-10-26')
  })
})

describe('resumeDecision', () => {
  const today: DueRun = { date: '2025-06-02', at: new Date('2025-06-02T06:00:00Z') }

  it('runs a due day that never started or did not finish', () => {
    expect(resumeDecision(today, null)).toMatchObject({ resume: true, date: '2025-06-02' })
    for (const phase of ['pending', 'ingesting', 'planning', 'delivering'])
      expect(resumeDecision(today, { phase })).toMatchObject({ resume: true, date: '2025-06-02' })
  })

  it('leaves done and failed runs alone, and days not yet due', () => {
    expect(resumeDecision(today, { phase: 'done' })).toMatchObject({ resume: false })
    expect(resumeDecision(today, { phase: 'failed' })).toEqual({
      resume: false,
      reason: 'the run of 2025-06-02 failed; re-run it by hand',
    })
    expect(resumeDecision(null, null)).toEqual({ resume: false, reason: 'no run was due yet today' })
  })
})

describe('listDateFor', () => {
  it("takes the previous day's complete list, across month and year ends", () => {
    expect(listDateFor('2025-06-03')).toBe('2025-06-02')
    expect(listDateFor('2025-03-01')).toBe('2025-02-28')
    expect(listDateFor('2026-01-01')).toBe('2025-12-31')
  })
})
