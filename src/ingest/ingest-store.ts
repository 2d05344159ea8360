// Writes one day's list from one source: papers upserted by key, one DailyList per
// (date, source), and its entries with rank and votes. Everything for the day happens in
// one transaction, so a failure leaves the previous state untouched. Re-ingesting
// replaces the list's entries (new ranks and upvotes, papers that left the list gone)
// and updates papers in place; it never duplicates a row. Papers go in with one bulk
// statement and entries with one createMany, so a 100-paper day is a handful of queries.
import { Prisma, type PrismaClient } from '../../prisma/generated/client'
import { paperKey, titleKey } from './paper-key'
import type { ParsedPaper } from './parsed-paper'

export type DailyListInput = {
  /** YYYY-MM-DD, the list's day. */
  date: string
  source: string
  format: string
  papers: ParsedPaper[]
}

export type StoredList = { dailyListId: number; stored: number }

/** Stores a day's list in its own transaction. */
export function storeDailyList(prisma: PrismaClient, list: DailyListInput): Promise<StoredList> {
  return prisma.$transaction((tx) => writeDailyList(tx, list), { timeout: 60_000 })
}

/** The same inside a caller's transaction, for callers that commit more alongside. */
export async function writeDailyList(
  tx: Prisma.TransactionClient,
  list: DailyListInput,
): Promise<StoredList> {
  const date = new Date(`${list.date}T00:00:00.000Z`)
  const dailyList = await tx.dailyList.upsert({
    where: { date_source: { date, source: list.source } },
    create: { date, source: list.source, format: list.format },
    update: { format: list.format, fetchedAt: new Date() },
    select: { id: true },
  })
  const ids = await upsertPapers(tx, list.papers)
  await tx.dailyListEntry.deleteMany({ where: { dailyListId: dailyList.id } })
  const { count } = await tx.dailyListEntry.createMany({
    data: list.papers.map((paper) => ({
      dailyListId: dailyList.id,
      paperId: ids.get(paperKey(paper))!,
      rank: paper.rank,
      upvotes: paper.upvotes ?? null,
      numComments: paper.numComments ?? null,
      announceType: paper.announceType ?? null,
    })),
  })
  return { dailyListId: dailyList.id, stored: count }
}

/** One INSERT … ON CONFLICT for all papers; returns key → Paper.id. */
async function upsertPapers(
  tx: Prisma.TransactionClient,
  papers: ParsedPaper[],
): Promise<Map<string, number>> {
  if (papers.length === 0) return new Map()
  await adoptTitleKeyedPapers(tx, papers)
  const rows = papers.map((p) => ({
    key: paperKey(p),
    arxivId: p.arxivId,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    url: p.url,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    aiSummary: p.aiSummary ?? null,
    aiKeywords: p.aiKeywords,
    githubRepo: p.githubRepo ?? null,
    projectPage: p.projectPage ?? null,
    categories: p.categories,
  }))
  // A later source with fewer fields (an arXiv feed after HF) must not erase what an
  // earlier one knew, hence COALESCE and "keep the old array when the new one is empty".
  // Prisma keeps DateTime as UTC in timestamp(3) columns, hence AT TIME ZONE 'UTC'.
  const result = await tx.$queryRaw<{ id: number; key: string }[]>(Prisma.sql`
    INSERT INTO "Paper" ("key", "arxivId", "title", "abstract", "authors", "url", "publishedAt",
                         "aiSummary", "aiKeywords", "githubRepo", "projectPage", "categories", "updatedAt")
    SELECT x.key, x."arxivId", x.title, x.abstract,
           ARRAY(SELECT jsonb_array_elements_text(x.authors)), x.url, x."publishedAt" AT TIME ZONE 'UTC',
           x."aiSummary", ARRAY(SELECT jsonb_array_elements_text(x."aiKeywords")), x."githubRepo",
           x."projectPage", ARRAY(SELECT jsonb_array_elements_text(x.categories)), now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
      key text, "arxivId" text, title text, abstract text, authors jsonb, url text, "publishedAt" timestamptz,
      "aiSummary" text, "aiKeywords" jsonb, "githubRepo" text, "projectPage" text, categories jsonb)
    ON CONFLICT ("key") DO UPDATE SET
      "arxivId"     = COALESCE(EXCLUDED."arxivId", "Paper"."arxivId"),
      "title"       = EXCLUDED.title,
      "abstract"    = EXCLUDED.abstract,
      "authors"     = CASE WHEN cardinality(EXCLUDED.authors) > 0 THEN EXCLUDED.authors ELSE "Paper".authors END,
      "url"         = COALESCE(EXCLUDED.url, "Paper".url),
      "publishedAt" = COALESCE(EXCLUDED."publishedAt", "Paper"."publishedAt"),
      "aiSummary"   = COALESCE(EXCLUDED."aiSummary", "Paper"."aiSummary"),
      "aiKeywords"  = CASE WHEN cardinality(EXCLUDED."aiKeywords") > 0 THEN EXCLUDED."aiKeywords" ELSE "Paper"."aiKeywords" END,
      "githubRepo"  = COALESCE(EXCLUDED."githubRepo", "Paper"."githubRepo"),
      "projectPage" = COALESCE(EXCLUDED."projectPage", "Paper"."projectPage"),
      "categories"  = CASE WHEN cardinality(EXCLUDED.categories) > 0 THEN EXCLUDED.categories ELSE "Paper".categories END,
      "updatedAt"   = now() AT TIME ZONE 'UTC'
    RETURNING id, key`)
  return new Map(result.map((row) => [row.key, Number(row.id)]))
}

/**
 * A paper first seen without an arXiv id (page text) is stored under its title's key;
 * when a later source names its id, that row takes the id as its key instead of a second
 * row appearing, so "never send a paper twice" holds across sources.
 */
async function adoptTitleKeyedPapers(tx: Prisma.TransactionClient, papers: ParsedPaper[]): Promise<void> {
  const known = papers.filter((p) => p.arxivId)
  if (known.length === 0) return
  const pairs = known.map((p) => ({ titleKey: titleKey(p.title), arxivId: p.arxivId }))
  await tx.$executeRaw(Prisma.sql`
    UPDATE "Paper" p SET key = x."arxivId", "arxivId" = x."arxivId", "updatedAt" = now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS x("titleKey" text, "arxivId" text)
    WHERE p.key = x."titleKey" AND p."arxivId" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "Paper" q WHERE q.key = x."arxivId" OR q."arxivId" = x."arxivId")`)
}
