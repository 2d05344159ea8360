// Real papers from the bundled Hugging Face day, turned into card data the way the planner does.
import { readFileSync } from 'node:fs'
import { cardFromPaper, type PaperCardData, type PaperForCard } from '../../../src/digest/render'

interface HfItem {
  paper: {
    id: string
    title: string
    summary: string
    authors: { name: string }[]
    upvotes?: number
    ai_summary?: string
    githubRepo?: string
    projectPage?: string
  }
}

const FIXTURE = new URL('../../fixtures/hf-daily-papers-2025-06-02.json', import.meta.url)

export function fixturePapers(): PaperForCard[] {
  const items = JSON.parse(readFileSync(FIXTURE, 'utf8')) as HfItem[]
  return items.map(({ paper }) => ({
    arxivId: paper.id,
    title: paper.title,
    abstract: paper.summary,
    authors: paper.authors.map((a) => a.name),
    url: null,
    aiSummary: paper.ai_summary ?? null,
    githubRepo: paper.githubRepo ?? null,
    projectPage: paper.projectPage ?? null,
  }))
}

export function fixtureUpvotes(): (number | null)[] {
  const items = JSON.parse(readFileSync(FIXTURE, 'utf8')) as HfItem[]
  return items.map(({ paper }) => paper.upvotes ?? null)
}

export function fixtureCardData(): PaperCardData[] {
  const upvotes = fixtureUpvotes()
  return fixturePapers().map((p, i) =>
    cardFromPaper(p, { source: 'huggingface', upvotes: upvotes[i] ?? null }),
  )
}

export const SITE = { publicUrl: 'https://paperboy.example.org' }
export const LINKS = {
  preferencesUrl: 'https://paperboy.example.org/preferences/pref-TOKEN',
  unsubscribeUrl: 'https://paperboy.example.org/unsubscribe/unsub-TOKEN',
  feedUrl: 'https://paperboy.example.org/feeds/feed-TOKEN.atom',
  archiveUrl: 'https://paperboy.example.org/archive/2025-06-02',
}
