// The preferences page's data: what the reader chose, and the papers we last sent them
// (from the delivery ledger, only deliveries the SMTP server accepted).
import type { Db } from '../db/prisma'
import { listStatus, recordEvent } from './subscriber-events'
import { type Client, loadInterests, replaceInterests, type Subscriber } from './subscriber-store'
import type { Preferences } from './subscription-input'

export const RECENT_PAPERS = 20

export type SentPaper = {
  date: string
  title: string
  url: string | null
  why: string[]
}

export async function loadPreferences(db: Client, subscriber: Subscriber): Promise<Preferences> {
  const interests = await loadInterests(db, subscriber.id)
  return {
    name: subscriber.name,
    ...interests,
    frequency: subscriber.frequency,
    weekday: subscriber.weekday,
    maxPapers: subscriber.maxPapers,
    fallbackToTrending: subscriber.fallbackToTrending,
    timezone: subscriber.timezone,
    // null (a reader from before send hours): shown as the service's hour, saved as chosen.
    sendHour: subscriber.sendHour ?? undefined,
    paused: subscriber.paused,
  }
}

/** Saves every field at once, in one transaction. */
export async function savePreferences(db: Db, subscriberId: number, prefs: Preferences): Promise<Subscriber> {
  return db.$transaction(async (tx) => {
    const before = await tx.subscriber.findUniqueOrThrow({ where: { id: subscriberId } })
    const s = await tx.subscriber.update({
      where: { id: subscriberId },
      data: {
        name: prefs.name,
        frequency: prefs.frequency,
        weekday: prefs.weekday,
        maxPapers: prefs.maxPapers,
        fallbackToTrending: prefs.fallbackToTrending,
        paused: prefs.paused,
        // Omitted (an old form): kept. Either takes effect from the next plan: a planned
        // delivery keeps the send-at time it was planned with.
        ...(prefs.timezone !== undefined && { timezone: prefs.timezone }),
        ...(prefs.sendHour !== undefined && { sendHour: prefs.sendHour }),
      },
    })
    await replaceInterests(tx, subscriberId, prefs)
    await recordEvent(tx, subscriberId, s.paused ? 'pause' : 'resume', listStatus(before), listStatus(s))
    return s
  })
}

export async function setPaused(db: Db, subscriberId: number, paused: boolean): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.subscriber.findUniqueOrThrow({ where: { id: subscriberId } })
    const s = await tx.subscriber.update({ where: { id: subscriberId }, data: { paused } })
    await recordEvent(tx, subscriberId, paused ? 'pause' : 'resume', listStatus(before), listStatus(s))
  })
}

export async function recentPapers(
  db: Client,
  subscriberId: number,
  limit = RECENT_PAPERS,
): Promise<SentPaper[]> {
  // The newest sent deliveries first (the (subscriberId, date) index, newest end), each
  // email's papers in order; reasons pruned by RETENTION_DAYS come back empty.
  const rows = await db.$queryRaw<
    { date: Date; title: string; url: string | null; arxivId: string | null; why: string[] | null }[]
  >`
    SELECT d.date, p.title, p.url, p."arxivId", r.why
    FROM (SELECT date, "paperIds", "reasonIds" FROM "Delivery"
          WHERE "subscriberId" = ${subscriberId} AND status = 'sent'
          ORDER BY date DESC LIMIT ${limit}::int) d
    CROSS JOIN LATERAL unnest(d."paperIds", d."reasonIds") WITH ORDINALITY AS u(paper, reason, n)
    JOIN "Paper" p ON p.id = u.paper
    LEFT JOIN "DeliveryReason" r ON r.id = u.reason
    ORDER BY d.date DESC, u.n
    LIMIT ${limit}::int`
  return rows.map((i) => ({
    date: i.date.toISOString().slice(0, 10),
    title: i.title,
    url: i.arxivId ? `https://arxiv.org/abs/${i.arxivId}` : i.url,
    why: i.why ?? [],
  }))
}
