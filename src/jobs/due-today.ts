// "Was a run due today, and when?" — the decision behind catching up on start. node-cron
// keeps schedules in memory and never fires a time that passed while the process was
// down, so on start the scheduler asks this for the latest firing of DIGEST_CRON on
// today's date in DIGEST_TZ that is not in the future. Pure: the clock is an argument.

import { type LocalParts, localDate, localParts, type ZoneClock, zoneClock } from '../digest/plan/local-time'

export { localDate, localParts }

/** The numeric fields of a cron pattern, as node-cron's `parse` returns them. */
export type CronFields = {
  second: readonly (number | string)[]
  minute: readonly (number | string)[]
  hour: readonly (number | string)[]
}

export type DueRun = {
  /** Today's calendar date in the schedule's time zone: the digest date of that firing. */
  date: string
  /** The instant the run was due. */
  at: Date
}

/** The instant a wall-clock time names in a time zone (the later reading across a DST gap). */
export function localToInstant(parts: LocalParts, tz: string | ZoneClock): Date {
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second)
  // Two rounds of "subtract the zone's offset at the guess" settle on both sides of a DST change.
  let guess = asUtc
  const zone = typeof tz === 'string' ? zoneClock(tz) : tz
  for (let i = 0; i < 2; i++) {
    const seen = zone.parts(new Date(guess))
    const seenUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second)
    guess += asUtc - seenUtc
  }
  return new Date(guess)
}

const numbers = (values: readonly (number | string)[]) =>
  values.filter((v): v is number => typeof v === 'number').sort((a, b) => b - a)

/**
 * The latest firing today (in `tz`) at or before `now`, or null when the schedule does
 * not fire today or only fires later today. `matchesDay` answers whether the pattern's
 * day, month and weekday fields accept an instant (node-cron's `task.match` does, with
 * its L/W/# tokens); time-of-day comes from `fields`.
 */
export function lastDueToday(input: {
  now: Date
  tz: string
  fields: CronFields
  matches: (at: Date) => boolean
}): DueRun | null {
  const { now, tz, fields, matches } = input
  // One clock for the whole search: it reads the zone up to a few thousand times.
  const zone = zoneClock(tz)
  const dateOf = (at: Date) => {
    const p = zone.parts(at)
    return `${p.year}-${p.month}-${p.day}`
  }
  const today = zone.parts(now)
  const nowSeconds = today.hour * 3600 + today.minute * 60 + today.second
  for (const hour of numbers(fields.hour)) {
    for (const minute of numbers(fields.minute)) {
      for (const second of numbers(fields.second.length ? fields.second : [0])) {
        if (hour * 3600 + minute * 60 + second > nowSeconds) continue
        const at = localToInstant({ ...today, hour, minute, second }, zone)
        if (at.getTime() > now.getTime()) continue
        if (dateOf(at) !== dateOf(now)) continue
        if (matches(at)) return { date: localDate(now, tz), at }
        // A wall-clock time that exists today and still does not match means the day
        // fields reject today; one skipped by a DST change is just passed over.
        const seen = zone.parts(at)
        if (seen.hour === hour && seen.minute === minute && seen.second === second) return null
      }
    }
  }
  return null
}

export type RunSummary = { phase: string } | null

export type ResumeDecision =
  | { resume: true; date: string; dueAt: Date; reason: string }
  | { resume: false; reason: string }

/**
 * Whether a starting scheduler should run today's digest now: it was due earlier today
 * and its DigestRun is missing or unfinished. A failed run stays failed (its reason is on
 * the row; an operator re-runs it by hand), so a crash loop cannot hammer a broken source.
 */
export function resumeDecision(due: DueRun | null, run: RunSummary): ResumeDecision {
  if (!due) return { resume: false, reason: 'no run was due yet today' }
  if (!run) return { resume: true, date: due.date, dueAt: due.at, reason: 'due today and never started' }
  if (run.phase === 'done') return { resume: false, reason: `the run of ${due.date} is done` }
  if (run.phase === 'failed')
    return { resume: false, reason: `the run of ${due.date} failed; re-run it by hand` }
  return { resume: true, date: due.date, dueAt: due.at, reason: `unfinished (phase ${run.phase})` }
}

/**
 * The morning's digest carries the previous day's list: a trending list fills up during
 * its own day (Hugging Face's list of today is nearly empty at 06:00), so yesterday's is
 * the complete one. A run by hand (`npm run digest -- --date D`) takes D as given.
 */
export function listDateFor(localDay: string): string {
  const d = new Date(`${localDay}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}
