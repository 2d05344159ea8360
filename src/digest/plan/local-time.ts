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

/**
 * Readings in one zone through one Intl formatter. Building a formatter costs about 50 µs
 * and a reading about 5, so code that reads a zone many times holds a clock for as long as
 * it needs it (send-at.ts: one per send time worked out; the planner keeps the times per
 * page). Nothing is kept between callers.
 */
export interface ZoneClock {
  readonly tz: string
  /** The wall-clock reading of an instant. */
  parts(at: Date): LocalParts
  /** The zone's offset from UTC at an instant, in whole seconds (the zone data's resolution). */
  offsetSeconds(at: Date): number
}

/** A clock for an IANA zone; throws a RangeError for a zone Intl does not know. */
export function zoneClock(tz: string): ZoneClock {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  const parts = (at: Date): LocalParts => {
    const p: Record<string, number> = {}
    for (const { type, value } of f.formatToParts(at)) if (type !== 'literal') p[type] = Number(value)
    return {
      year: p.year!,
      month: p.month!,
      day: p.day!,
      hour: p.hour!,
      minute: p.minute!,
      second: p.second!,
    }
  }
  return {
    tz,
    parts,
    offsetSeconds(at) {
      const whole = Math.floor(at.getTime() / 1000) * 1000
      return Math.round((wallMs(parts(new Date(whole))) - whole) / 1000)
    },
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

const wallMs = (p: LocalParts) => Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)

// One-off readings: a clock each. For the scheduler's few readings a day and for tests.

/** The wall-clock reading of an instant in a time zone. */
export function localParts(at: Date, tz: string): LocalParts {
  return zoneClock(tz).parts(at)
}

export function localDate(at: Date, tz: string): string {
  const { year, month, day } = localParts(at, tz)
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** The zone's offset from UTC at an instant, in whole seconds (the zone data's resolution). */
export function offsetSeconds(at: Date, tz: string): number {
  return zoneClock(tz).offsetSeconds(at)
}

/** ISO 8601 with the zone's offset at that instant: 2026-12-02T07:00:00+05:30. */
export function isoWithOffset(at: Date, tz: string | ZoneClock): string {
  const clock = typeof tz === 'string' ? zoneClock(tz) : tz
  const p = clock.parts(at)
  const off = Math.round(clock.offsetSeconds(at) / 60)
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
