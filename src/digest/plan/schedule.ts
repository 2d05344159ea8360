// Who is due on a date and which days their email covers. Dates are calendar days
// ("2025-06-02"), read in UTC so the server's timezone never shifts one to the day before.

export type Frequency = 'daily' | 'weekly'

/** A weekly email covers the week ending on its date: this many days of lists. */
export const WEEK_DAYS = 7

export function isoDay(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`)
}

export function toIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10)
}

export function addDays(date: string, days: number): string {
  const d = isoDay(date)
  d.setUTCDate(d.getUTCDate() + days)
  return toIsoDate(d)
}

/** 0 = Sunday … 6 = Saturday, as in Subscriber.weekday. */
export function weekdayOf(date: string): number {
  return isoDay(date).getUTCDay()
}

export interface Schedule {
  status: string
  paused: boolean
  frequency: Frequency
  weekday: number
}

/**
 * The weekday the email of list date `date` arrives on: the morning after the list (see
 * send-at.ts). A calendar date has the same weekday in every zone, so a weekly reader
 * gets it on their chosen weekday in their own zone.
 */
export function mailWeekdayOf(date: string): number {
  return weekdayOf(addDays(date, 1))
}

/** Active, unpaused, and either daily or weekly with this list's email arriving on their weekday. */
export function isDue(reader: Schedule, date: string): boolean {
  if (reader.status !== 'active' || reader.paused) return false
  return reader.frequency === 'daily' || reader.weekday === mailWeekdayOf(date)
}

/** The list dates an email of this frequency draws from, oldest first, ending on `date`. */
export function windowDates(date: string, frequency: Frequency): string[] {
  if (frequency === 'daily') return [date]
  return Array.from({ length: WEEK_DAYS }, (_, i) => addDays(date, i - (WEEK_DAYS - 1)))
}
