// Pure: the list's history from its change log. The database knows each reader's status
// today and every change since the log began (SubscriberEvent); walking the days
// backwards from today and undoing each day's changes gives the count of every status at
// the end of every day, from one small grouped query instead of a query per day.
import type { ListStatus, SubscriberEventKind } from '../subscribers/subscriber-events'

export const LIST_STATUSES = [
  'pending',
  'active',
  'paused',
  'unsubscribed',
  'bounced',
] as const satisfies readonly ListStatus[]

export type StatusCounts = Record<ListStatus, number>
export type ListDay = { date: string } & StatusCounts

/** Changes of one kind between two statuses on one UTC day, `n` of them. */
export type DayChange = {
  day: string
  kind: SubscriberEventKind
  from: ListStatus | null
  to: ListStatus
  n: number
}

export type JourneyDay = {
  date: string
  signups: number
  confirmations: number
  unsubscribesOneClick: number
  unsubscribesPage: number
  bounces: number
}

export const zeroCounts = (): StatusCounts => ({
  pending: 0,
  active: 0,
  paused: 0,
  unsubscribed: 0,
  bounced: 0,
})

/** The `days` UTC dates ending with `today`, oldest first. */
export function windowDays(today: string, days: number): string[] {
  const end = Date.parse(`${today}T00:00:00.000Z`)
  return Array.from({ length: days }, (_, i) =>
    new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  )
}

/** Each day's counts at its end, given today's counts and the changes (any days, any order). */
export function statusHistory(
  current: StatusCounts,
  changes: readonly DayChange[],
  days: readonly string[],
): ListDay[] {
  const state = { ...current }
  const undo = (c: DayChange) => {
    state[c.to] -= c.n
    if (c.from) state[c.from] += c.n
  }
  const last = days.at(-1) ?? ''
  // Changes stamped after the window (a clock ahead of ours) are undone first.
  for (const c of changes) if (c.day > last) undo(c)
  const byDay = new Map<string, DayChange[]>()
  for (const c of changes) byDay.set(c.day, [...(byDay.get(c.day) ?? []), c])
  const out: ListDay[] = []
  for (let i = days.length - 1; i >= 0; i--) {
    const date = days[i]!
    out.push({ date, ...state })
    for (const c of byDay.get(date) ?? []) undo(c)
  }
  return out.reverse()
}

const KIND_FIELD: Partial<Record<SubscriberEventKind, keyof Omit<JourneyDay, 'date'>>> = {
  signup: 'signups',
  confirm: 'confirmations',
  unsubscribe_one_click: 'unsubscribesOneClick',
  unsubscribe_page: 'unsubscribesPage',
  bounce: 'bounces',
}

export function journeyByDay(changes: readonly DayChange[], days: readonly string[]): JourneyDay[] {
  const rows = new Map(
    days.map((date) => [
      date,
      { date, signups: 0, confirmations: 0, unsubscribesOneClick: 0, unsubscribesPage: 0, bounces: 0 },
    ]),
  )
  for (const c of changes) {
    const row = rows.get(c.day)
    const field = KIND_FIELD[c.kind]
    if (row && field) row[field] += c.n
  }
  return [...rows.values()]
}
