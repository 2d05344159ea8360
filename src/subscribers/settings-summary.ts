// The settings a confirmation link activates, as the lines its email shows. Confirming
// activates exactly these (signup.ts changes them only together with a new token, and a
// confirmation whose token was replaced is not sent), so the reader sees what a stranger
// may have typed before anything starts.
import type { Frequency } from '../../prisma/generated/client'
import { type Client, loadInterests } from './subscriber-store'

type Profile = { id: number; name: string | null; frequency: Frequency; weekday: number; maxPapers: number }

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

export function describeSettings(
  s: Omit<Profile, 'id'>,
  interests: { topics: string[]; keywords: string[]; exclude: string[]; authors: string[] },
): string[] {
  const list = (items: readonly string[]) => items.join(', ')
  const when = s.frequency === 'weekly' ? `weekly on ${WEEKDAYS[s.weekday] ?? 'Monday'}` : 'daily'
  const lines = [`${when}, up to ${s.maxPapers} ${s.maxPapers === 1 ? 'paper' : 'papers'}`]
  if (s.name) lines.push(`name: ${s.name}`)
  if (interests.topics.length > 0) lines.push(`topics: ${list(interests.topics)}`)
  if (interests.keywords.length > 0) lines.push(`keywords: ${list(interests.keywords)}`)
  if (interests.exclude.length > 0) lines.push(`never: ${list(interests.exclude)}`)
  if (interests.authors.length > 0) lines.push(`authors: ${list(interests.authors)}`)
  return lines
}

/** The stored subscriber's settings, topics by name. */
export async function storedSettings(db: Client, s: Profile): Promise<string[]> {
  const [interests, topics] = await Promise.all([
    loadInterests(db, s.id),
    db.topic.findMany({ select: { slug: true, name: true } }),
  ])
  const names = new Map(topics.map((t) => [t.slug, t.name]))
  return describeSettings(s, { ...interests, topics: interests.topics.map((t) => names.get(t) ?? t) })
}
