// Wall-clock readings of instants in IANA time zones, from Intl alone: the zone database
// Node ships with is the one the signup form validates against, so no second copy of it
// (a tz library) can disagree with the list a reader picked from.

export type LocalParts = {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(tz, f)
  }
  return f
}

/** The wall-clock reading of an instant in a time zone. */
export function localParts(at: Date, tz: string): LocalParts {
  const p: Record<string, number> = {}
  for (const { type, value } of formatter(tz).formatToParts(at))
    if (type !== 'literal') p[type] = Number(value)
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

export function localDate(at: Date, tz: string): string {
  const { year, month, day } = localParts(at, tz)
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

const wallMs = (p: LocalParts) => Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)

/** The zone's offset from UTC at an instant, in whole seconds (the zone data's resolution). */
export function offsetSeconds(at: Date, tz: string): number {
  const whole = Math.floor(at.getTime() / 1000) * 1000
  return Math.round((wallMs(localParts(new Date(whole), tz)) - whole) / 1000)
}

/** ISO 8601 with the zone's offset at that instant: 2026-12-02T07:00:00+05:30. */
export function isoWithOffset(at: Date, tz: string): string {
  const p = localParts(at, tz)
  const off = Math.round(offsetSeconds(at, tz) / 60)
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
