// Loads the votes of one page of due readers for their personal models: the votes in one
// query, then the voted papers' text for those not vectorised yet in this plan (one query).
// A paper's vector is kept for the rest of the plan: readers vote on the same few papers.
import type { Prisma } from '../../../prisma/generated/client'
import { type PersonalPaper, type PersonalVote, personalPaper } from '../../matching/personal-model'
import { type CompiledTopic, paperVocabularyScores } from '../../matching/prepare-day'
import type { FeatureSpace } from '../../matching/vectorise'
import { LIFTED_REASON } from './personalise'
import type { PersonalInputs } from './plan-readers'

/** Vectors kept at most; beyond it the map starts over (vectorising again is correct, only slower). */
const MAX_PAPERS = 50_000

export type VotedPaperCache = Map<number, PersonalPaper>

export async function loadReaderVotes(
  tx: Prisma.TransactionClient,
  subscriberIds: readonly number[],
  space: FeatureSpace,
  topics: readonly CompiledTopic[],
  cache: VotedPaperCache,
): Promise<Map<number, ReturnType<PersonalInputs['votesOf']> & {}>> {
  const out = new Map<number, { votes: PersonalVote[]; voted: Set<number> }>()
  if (subscriberIds.length === 0) return out
  // `lifted`: the paper came as a lift (its reasons in the reader's email say so), so its
  // vote judges lifting for this reader (personalise.ts). Reasons emptied by retention read as not lifted.
  const rows = await tx.$queryRaw<{ s: number; p: number; more: boolean; lifted: boolean }[]>`
    SELECT v."subscriberId" AS s, v."paperId" AS p, v.direction = 'more' AS more,
      EXISTS (
        SELECT 1 FROM "Delivery" d
        JOIN "DeliveryReason" r ON r.id = d."reasonIds"[array_position(d."paperIds", v."paperId")]
        WHERE d."subscriberId" = v."subscriberId" AND d."paperIds" @> ARRAY[v."paperId"]
          AND ${LIFTED_REASON}::text = ANY(r.why)
      ) AS lifted
    FROM "Vote" v WHERE v."subscriberId" = ANY(${[...subscriberIds]}::int[])
    ORDER BY v."subscriberId", v."updatedAt", v."paperId"`
  if (rows.length === 0) return out
  if (cache.size > MAX_PAPERS) cache.clear()
  const missing = [...new Set(rows.map((r) => r.p))].filter((p) => !cache.has(p))
  if (missing.length > 0) {
    const papers = await tx.$queryRaw<
      { id: number; title: string; abstract: string; aiKeywords: string[] }[]
    >`
      SELECT id, title, abstract, "aiKeywords" FROM "Paper" WHERE id = ANY(${missing}::int[])`
    for (const p of papers)
      cache.set(p.id, { x: personalPaper(p, space, paperVocabularyScores(p, topics)).x })
  }
  for (const r of rows) {
    const paper = cache.get(r.p)
    if (!paper) continue
    let mine = out.get(r.s)
    if (!mine) {
      mine = { votes: [], voted: new Set() }
      out.set(r.s, mine)
    }
    mine.votes.push({ paper, more: r.more, lifted: r.lifted })
    mine.voted.add(r.p)
  }
  return out
}
