import { describe, expect, it } from 'vitest'
import { isoWithOffset, zoneClock } from '../../../src/digest/plan/local-time'
import { mailDayOf, readerSendAt, sendAtFor } from '../../../src/digest/plan/send-at'

const at = (date: string, hour: number, tz: string) => sendAtFor(date, hour, tz).toISOString()
const local = (date: string, hour: number, tz: string) => isoWithOffset(sendAtFor(date, hour, tz), tz)

describe('sendAtFor: a local hour on a local date as one instant', () => {
  it('zones from UTC−10 to UTC+14, half- and quarter-hour ones included', () => {
    expect(at('2026-12-02', 7, 'Pacific/Honolulu')).toBe('2026-12-02T17:00:00.000Z')
    expect(at('2026-12-02', 7, 'America/Los_Angeles')).toBe('2026-12-02T15:00:00.000Z')
    expect(at('2026-12-02', 7, 'America/St_Johns')).toBe('2026-12-02T10:30:00.000Z')
    expect(at('2026-12-02', 7, 'UTC')).toBe('2026-12-02T07:00:00.000Z')
    expect(at('2026-12-02', 7, 'Asia/Calcutta')).toBe('2026-12-02T01:30:00.000Z')
    expect(at('2026-12-02', 7, 'Asia/Kathmandu')).toBe('2026-12-02T01:15:00.000Z')
    expect(at('2026-12-02', 7, 'Pacific/Auckland')).toBe('2026-12-01T18:00:00.000Z')
    expect(at('2026-12-02', 7, 'Pacific/Tongatapu')).toBe('2026-12-01T18:00:00.000Z')
    expect(at('2026-12-02', 7, 'Pacific/Kiritimati')).toBe('2026-12-01T17:00:00.000Z')
    expect(at('2026-12-02', 0, 'Asia/Tokyo')).toBe('2026-12-01T15:00:00.000Z')
    expect(at('2026-12-02', 23, 'Pacific/Honolulu')).toBe('2026-12-03T09:00:00.000Z')
  })

  it('07:00 in Berlin is 07:00 local on both sides of the 2026 changes', () => {
    expect(local('2026-03-28', 7, 'Europe/Berlin')).toBe('2026-03-28T07:00:00+01:00')
    expect(local('2026-03-29', 7, 'Europe/Berlin')).toBe('2026-03-29T07:00:00+02:00')
    expect(local('2026-10-24', 7, 'Europe/Berlin')).toBe('2026-10-24T07:00:00+02:00')
    expect(local('2026-10-25', 7, 'Europe/Berlin')).toBe('2026-10-25T07:00:00+01:00')
    expect(at('2026-10-24', 7, 'Europe/Berlin')).toBe('2026-10-24T05:00:00.000Z')
    expect(at('2026-10-25', 7, 'Europe/Berlin')).toBe('2026-10-25T06:00:00.000Z')
  })

  it('and in New York on both sides of the 2026 US changes', () => {
    expect(local('2026-03-07', 7, 'America/New_York')).toBe('2026-03-07T07:00:00-05:00')
    expect(local('2026-03-08', 7, 'America/New_York')).toBe('2026-03-08T07:00:00-04:00')
    expect(local('2026-10-31', 7, 'America/New_York')).toBe('2026-10-31T07:00:00-04:00')
    expect(local('2026-11-01', 7, 'America/New_York')).toBe('2026-11-01T07:00:00-05:00')
  })

  it('an hour skipped by the spring change is sent at the next valid time', () => {
    // Berlin: 02:00 CET jumps to 03:00 CEST (01:00 UTC); New York: 02:00 EST to 03:00 EDT.
    expect(local('2026-03-29', 2, 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00')
    expect(at('2026-03-29', 2, 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z')
    expect(local('2026-03-08', 2, 'America/New_York')).toBe('2026-03-08T03:00:00-04:00')
    // Lord Howe Island moves by half an hour: 02:00 becomes 02:30.
    expect(local('2026-10-04', 2, 'Australia/Lord_Howe')).toBe('2026-10-04T02:30:00+11:00')
    // The hour after the gap is itself, an hour later than the skipped one.
    expect(at('2026-03-29', 3, 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z')
  })

  it('an hour that happens twice in the autumn is its first occurrence', () => {
    expect(local('2026-10-25', 2, 'Europe/Berlin')).toBe('2026-10-25T02:00:00+02:00')
    expect(local('2026-11-01', 1, 'America/New_York')).toBe('2026-11-01T01:00:00-04:00')
  })

  it('rejects an hour outside 0–23 and an unknown zone', () => {
    expect(() => sendAtFor('2026-12-02', 24, 'UTC')).toThrow(RangeError)
    expect(() => sendAtFor('2026-12-02', 1.5, 'UTC')).toThrow(RangeError)
    expect(() => sendAtFor('2026-12-02', 7, 'Mars/Olympus')).toThrow(RangeError)
  })

  it('every hour of every day of 2026 in many zones reads back as that hour, or lies just past a gap', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Asia/Calcutta',
      'Australia/Sydney',
      'America/Santiago',
    ]
    for (const tz of zones) {
      // One clock per zone, as the planner holds one: the readings are the same, without
      // building two formatters for each of the 43,800 times.
      const clock = zoneClock(tz)
      for (let d = 0; d < 365; d += 1) {
        const date = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)
        for (let hour = 0; hour < 24; hour++) {
          const t = sendAtFor(date, hour, clock)
          const iso = isoWithOffset(t, clock)
          if (iso.startsWith(`${date}T${String(hour).padStart(2, '0')}:00:00`)) continue
          // Only a skipped hour may differ, and then by at most the gap: the same date, later.
          expect(clock.offsetSeconds(new Date(t.getTime() - 1000))).toBeLessThan(clock.offsetSeconds(t))
        }
      }
    }
    // 43,800 local times through Intl: about 1 s alone, several times that on a loaded machine.
  }, 120_000)
})

describe('readerSendAt', () => {
  it('the email of list date D arrives on D + 1 at the reader hour', () => {
    expect(mailDayOf('2026-12-31')).toBe('2027-01-01')
    const r = readerSendAt({ timezone: 'Asia/Calcutta', sendHour: 7 }, '2026-12-01')
    expect(isoWithOffset(r!, 'Asia/Calcutta')).toBe('2026-12-02T07:00:00+05:30')
  })

  it('no hour chosen: null, sent as soon as the day is planned', () => {
    expect(readerSendAt({ timezone: 'UTC', sendHour: null }, '2026-12-01')).toBeNull()
  })
})
