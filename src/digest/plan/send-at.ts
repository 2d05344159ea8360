// When a reader's email may go out: their chosen hour on their own calendar date, as one
// UTC instant. The morning's run carries the previous day's list (jobs/due-today.ts,
// listDateFor), so the email of list date D arrives on D + 1 — in every zone, that
// calendar day's own hour. Pure: the planner stores the result on each Delivery, and the
// workers claim a delivery only once that instant has passed.
import { type LocalParts, type ZoneClock, zoneClock } from './local-time'
import { addDays } from './schedule'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** The calendar day the email of list date `listDate` arrives on (the inverse of listDateFor). */
export function mailDayOf(listDate: string): string {
  return addDays(listDate, 1)
}

const sameWallTime = (a: LocalParts, b: LocalParts) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute

/**
 * The instant that reads `hour`:00 on `date` in `tz`. A time that happens twice (the
 * autumn change) is its first occurrence; a time that does not exist (skipped by the
 * spring change) becomes the first instant after the gap — the next valid time.
 */
export function sendAtFor(date: string, hour: number, tz: string | ZoneClock): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour must be 0–23, not ${hour}`)
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const want: LocalParts = { year, month, day, hour, minute: 0, second: 0 }
  const asUtc = Date.UTC(year, month - 1, day, hour)
  // A caller working out many times in one zone passes its clock (a formatter each is most of the cost).
  const zone = typeof tz === 'string' ? zoneClock(tz) : tz
  // Every offset the zone has within a day of the target: a transition near it is among them.
  const offsets = [
    ...new Set([-DAY_MS, 0, DAY_MS].map((d) => zone.offsetSeconds(new Date(asUtc + d)) * 1000)),
  ]
  const valid = offsets
    .map((off) => asUtc - off)
    .filter((t) => sameWallTime(zone.parts(new Date(t)), want))
    .sort((a, b) => a - b)
  if (valid.length > 0) return new Date(valid[0]!)
  // In a gap: the transition lies between the target read with the later (larger) offset
  // and with the earlier one. Find it to the second; its instant reads the first valid time.
  const before = Math.min(...offsets)
  const after = Math.max(...offsets)
  let lo = Math.floor((asUtc - after) / 1000) // still the old offset
  let hi = Math.ceil((asUtc - before) / 1000) // already the new one
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (zone.offsetSeconds(new Date(mid * 1000)) * 1000 === after) hi = mid
    else lo = mid
  }
  return new Date(hi * 1000)
}

export interface SendChoice {
  timezone: string
  /** null: no hour chosen (readers from before send hours): as soon as the day is planned. */
  sendHour: number | null
}

/** The send-at instant of a reader's email for list date `listDate`, or null for "when planned". */
export function readerSendAt(reader: SendChoice, listDate: string): Date | null {
  if (reader.sendHour === null) return null
  return sendAtFor(mailDayOf(listDate), reader.sendHour, reader.timezone)
}
