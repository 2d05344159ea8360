// "More / fewer like this": a reader's votes on papers they were sent. One row per reader
// and paper (the latest click stands), written only for a paper a sent delivery of theirs
// contains, so a vote cannot be cast on a paper the reader never got. The planner reads
// them (digest/plan/reader-votes.ts); the preferences page lists and undoes them.

import type { VoteDirection } from '../../prisma/generated/client'
import type { Db } from '../db/prisma'
import { checkFeedbackToken, feedbackTokenParts } from '../links/link-tokens'
import { type Client, findById, type Subscriber } from './subscriber-store'

export type { VoteDirection }
export const VOTE_DIRECTIONS: readonly VoteDirection[] = ['more', 'fewer']

export interface FeedbackTarget {
  subscriber: Subscriber
  paper: { id: number; title: string; url: string | null; arxivId: string | null }
}

/** The reader and paper a genuine feedback token names; null for anything else (a 404). */
export async function findFeedbackTarget(
  db: Client,
  secret: string,
  token: string,
): Promise<FeedbackTarget | null> {
  const parts = feedbackTokenParts(token)
  if (!parts) return null
  const subscriber = await findById(db, parts.subscriberId)
  if (!subscriber || subscriber.erasedAt) return null
  if (!checkFeedbackToken(secret, token, subscriber, parts.paperId)) return null
  const paper = await db.paper.findUnique({
    where: { id: parts.paperId },
    select: { id: true, title: true, url: true, arxivId: true },
  })
  return paper ? { subscriber, paper } : null
}

/** Whether a sent delivery of this reader contains the paper. */
export async function wasSentTo(db: Client, subscriberId: number, paperId: number): Promise<boolean> {
  const sent = await db.delivery.findFirst({
    where: { subscriberId, status: 'sent', paperIds: { has: paperId } },
    select: { id: true },
  })
  return sent !== null
}

export async function currentVote(
  db: Client,
  subscriberId: number,
  paperId: number,
): Promise<VoteDirection | null> {
  const v = await db.vote.findUnique({ where: { subscriberId_paperId: { subscriberId, paperId } } })
  return v?.direction ?? null
}

export type VoteOutcome = 'recorded' | 'not-sent'

/** Records (or replaces) the vote; refuses a paper the reader was never sent. */
export async function recordVote(
  db: Db,
  subscriberId: number,
  paperId: number,
  direction: VoteDirection,
): Promise<VoteOutcome> {
  if (!(await wasSentTo(db, subscriberId, paperId))) return 'not-sent'
  await db.vote.upsert({
    where: { subscriberId_paperId: { subscriberId, paperId } },
    create: { subscriberId, paperId, direction },
    update: { direction },
  })
  return 'recorded'
}

/** Undo of one vote; true when there was one. */
export async function removeVote(db: Client, subscriberId: number, paperId: number): Promise<boolean> {
  const { count } = await db.vote.deleteMany({ where: { subscriberId, paperId } })
  return count > 0
}

/** "Forget what you learned": every vote of the reader goes, and with them the personal model. */
export async function forgetVotes(db: Client, subscriberId: number): Promise<number> {
  const { count } = await db.vote.deleteMany({ where: { subscriberId } })
  return count
}

export interface ListedVote {
  paperId: number
  direction: VoteDirection
  title: string
  url: string | null
  at: Date
}

/** A reader's votes, newest first (the preferences page, the admin export). */
export async function listVotes(db: Client, subscriberId: number): Promise<ListedVote[]> {
  const rows = await db.vote.findMany({
    where: { subscriberId },
    orderBy: [{ updatedAt: 'desc' }, { paperId: 'asc' }],
    select: {
      paperId: true,
      direction: true,
      updatedAt: true,
      paper: { select: { title: true, url: true, arxivId: true } },
    },
  })
  return rows.map((r) => ({
    paperId: r.paperId,
    direction: r.direction,
    title: r.paper.title,
    url: r.paper.arxivId ? `https://arxiv.org/abs/${r.paper.arxivId}` : r.paper.url,
    at: r.updatedAt,
  }))
}
