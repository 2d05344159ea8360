// Loads the votes of one page of due readers for their personal models: the votes in one
// query, then the voted papers' row stamps, and the text of those not vectorised yet (or
// changed since) in one more. A paper's vector is kept by the caller: for the rest of the
// plan, or by the process across plans (deps' digest caches), since readers vote on the same
// few papers day after day and a vector (its topic vocabulary scores) costs milliseconds.
import type { Prisma } from '../../../prisma/generated/client'
import { type PersonalPaper, type PersonalVote, personalPaper } from '../../matching/personal-model'
import { type CompiledTopic, paperVocabularyScores } from '../../matching/prepare-day'
import type { FeatureSpace } from '../../matching/vectorise'
import { LIFTED_REASON } from './personalise'
import type { PersonalInputs } from './plan-readers'
import { numberArray } from './write-plan'

/** Vectors kept at most; beyond it the map starts over (vectorising again is correct, only slower). */
const MAX_PAPERS = 50_000

/**
 * Voted papers' vectors, valid for one topic catalog `version` (the topics and the model they
 * are read with) and, per paper, for the row as it was when vectorised (`updatedAt`: a
 * re-ingest may change its text).
 */
export interface VotedPaperCache {
  version: string
  papers: Map<number, { updatedAt: number; paper: PersonalPaper }>
}

export const newVotedPaperCache = (): VotedPaperCache => ({ version: '', papers: new Map() })

/**
 * The votes of the rows, unpacked into `codes` (each vote's paper id · 10 + its flag digit,
 * 2 · more + lifted: the query's packing read as one number), row after row, with where each
 * row's votes end; and the distinct papers. Read digit by digit: 10,000 voters' 100,000
 * votes were as many strings split, sliced and parsed, and as many objects.
 */
function unpackVotes(rows: readonly { v: string }[]): {
  codes: number[]
  ends: number[]
  papers: Set<number>
} {
  const codes: number[] = []
  const ends: number[] = []
  const papers = new Set<number>()
  for (const { v } of rows) {
    let code = 0
    for (let k = 0; k <= v.length; k++) {
      const c = k < v.length ? v.charCodeAt(k) : 44
      if (c !== 44) {
        code = code * 10 + (c - 48)
        continue
      }
      codes.push(code)
      papers.add(Math.floor(code / 10))
      code = 0
    }
    ends.push(codes.length)
  }
  return { codes, ends, papers }
}

export async function loadReaderVotes(
  tx: Prisma.TransactionClient,
  subscriberIds: readonly number[],
  space: FeatureSpace,
  topics: { version: string; compiled: readonly CompiledTopic[] },
  cache: VotedPaperCache,
): Promise<Map<number, ReturnType<PersonalInputs['votesOf']> & {}>> {
  const out = new Map<number, { votes: PersonalVote[]; voted: Set<number> }>()
  if (subscriberIds.length === 0) return out
  // `lifted`: the paper came as a lift (its reasons in the reader's email say so), so its
  // vote judges lifting for this reader (personalise.ts). Reasons emptied by retention read as not lifted.
  // One row per reader, the votes in the order planning reads them (oldest first) as one
  // string: each vote the paper id followed by one digit, 2 · more + lifted, joined by
  // commas. A page's 50,000 votes are 5,000 rows, not 50,000 row objects to build, and one
  // native split per row, not three arrays the driver parses character by character.
  const rows = await tx.$queryRaw<{ s: number; v: string }[]>`
    SELECT s, string_agg(p::text || ((CASE WHEN more THEN 2 ELSE 0 END) + (CASE WHEN lifted THEN 1 ELSE 0 END))::text,
                         ',' ORDER BY at, p) AS v
    FROM (
      SELECT v."subscriberId" AS s, v."paperId" AS p, v."updatedAt" AS at, v.direction = 'more' AS more,
        EXISTS (
          SELECT 1 FROM "Delivery" d
          JOIN "DeliveryReason" r ON r.id = d."reasonIds"[array_position(d."paperIds", v."paperId")]
          WHERE d."subscriberId" = v."subscriberId" AND d."paperIds" @> ARRAY[v."paperId"]
            AND ${LIFTED_REASON}::text = ANY(r.why)
        ) AS lifted
      FROM "Vote" v WHERE v."subscriberId" = ANY(${numberArray(subscriberIds)}::int[])
    ) x
    GROUP BY s ORDER BY s`
  if (rows.length === 0) return out
  if (cache.version !== topics.version || cache.papers.size > MAX_PAPERS) {
    cache.papers.clear()
    cache.version = topics.version
  }
  const { codes, ends, papers: votedPapers } = unpackVotes(rows)
  const voted = [...votedPapers]
  const stamps = await tx.$queryRaw<{ id: number; updatedAt: Date }[]>`
    SELECT id, "updatedAt" FROM "Paper" WHERE id = ANY(${voted}::int[])`
  const stale = stamps
    .filter((s) => cache.papers.get(s.id)?.updatedAt !== s.updatedAt.getTime())
    .map((s) => s.id)
  if (stale.length > 0) {
    const papers = await tx.$queryRaw<
      { id: number; title: string; abstract: string; aiKeywords: string[]; updatedAt: Date }[]
    >`
      SELECT id, title, abstract, "aiKeywords", "updatedAt" FROM "Paper" WHERE id = ANY(${stale}::int[])`
    for (const p of papers)
      cache.papers.set(p.id, {
        updatedAt: p.updatedAt.getTime(),
        paper: { x: personalPaper(p, space, paperVocabularyScores(p, topics.compiled)).x },
      })
  }
  for (let row = 0, k = 0; row < rows.length; row++) {
    let mine: { votes: PersonalVote[]; voted: Set<number> } | undefined
    for (; k < ends[row]!; k++) {
      const flags = codes[k]! % 10
      const id = (codes[k]! - flags) / 10
      const paper = cache.papers.get(id)?.paper
      if (!paper) continue
      if (!mine) {
        mine = { votes: [], voted: new Set() }
        out.set(rows[row]!.s, mine)
      }
      mine.votes.push({ paper, more: (flags & 2) !== 0, lifted: (flags & 1) !== 0 })
      mine.voted.add(id)
    }
  }
  return out
}
