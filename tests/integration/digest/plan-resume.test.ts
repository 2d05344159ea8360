// Planning commits page by page: a real `npm run digest` process SIGKILLed after a few
// committed pages, then planned again, ends with every due reader planned exactly once, and
// with the same papers an uninterrupted plan gives them (a dry run taken before the kill).
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { memoryWriter, planDigest } from '../../../src/digest/plan'
import { createLogger } from '../../../src/log'
import { generateReaders, insertReaders } from '../../../src/subscribers/synthetic-readers'
import { resetData, testDatabaseUrl, testPrisma } from '../../support/db'
import { topicModel } from '../../support/topic-model'
import { HF_DAY, ingestHfDay } from './helpers'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const log = createLogger('silent')
const PAGE = 100
const KILL_AFTER_PAGES = 3
let prisma: Db
let outbox: string
const children = new Set<ChildProcess>()

beforeAll(async () => {
  prisma = await testPrisma()
  await resetData(prisma)
  await ingestHfDay(prisma)
  const slugs = (await prisma.topic.findMany({ select: { slug: true } })).map((t) => t.slug)
  await insertReaders(prisma, generateReaders(2_500, slugs, { seed: 11, profiles: 300 }))
  outbox = await mkdtemp(join(tmpdir(), 'paperboy-resume-'))
})
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL')
  await rm(outbox, { recursive: true, force: true })
})

/** Starts `npm run digest` for the day; resolves with the pages it logged once it was killed. */
async function digestKilledAfter(pages: number): Promise<{ committed: number; exit: string | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/digest.ts', '--date', HF_DAY], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: await testDatabaseUrl(),
      SMTP_URL: '',
      OUTBOX_DIR: outbox,
      LOG_LEVEL: 'debug',
      PLAN_PAGE_READERS: String(PAGE),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let committed = 0
  let buffered = ''
  let stderr = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no ${pages} committed pages within 60 s: ${stderr}`))
    }, 60_000)
    // npm run digest logs to stderr (its stdout is the report).
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) {
        if (!line.startsWith('{')) continue
        const entry = JSON.parse(line)
        if (entry.msg !== 'plan page committed') continue
        committed = entry.page
        // The event, not a sleep: the kill lands right after the Nth page committed.
        if (committed === pages) child.kill('SIGKILL')
      }
    })
    child.on('exit', (_code, signal) => {
      clearTimeout(timer)
      children.delete(child)
      resolve({ committed, exit: signal })
    })
  })
}

async function plannedPapers(): Promise<Map<number, number[]>> {
  const rows = await prisma.delivery.findMany({
    where: { date: new Date(`${HF_DAY}T00:00:00Z`) },
    select: { subscriberId: true, paperIds: true },
  })
  return new Map(rows.map((r) => [r.subscriberId, r.paperIds]))
}

describe('planning in committed pages', () => {
  it('killed mid-plan and run again, plans every due reader exactly once, as an uninterrupted plan would', async () => {
    const dry = memoryWriter()
    const expected = await planDigest({ prisma, log, topicModel }, { date: HF_DAY, writer: dry })
    expect(expected.due).toBeGreaterThan(10 * PAGE)
    const reference = new Map(dry.plans.map((p) => [p.subscriberId, p.items.map((i) => i.paperId)]))

    const killed = await digestKilledAfter(KILL_AFTER_PAGES)
    expect(killed.exit).toBe('SIGKILL')
    const afterKill = await plannedPapers()
    // The pages committed before the kill stay; the kill landed before the end.
    expect(afterKill.size).toBeGreaterThanOrEqual((KILL_AFTER_PAGES - 1) * PAGE)
    expect(afterKill.size).toBeLessThan(expected.due)

    const resumed = await planDigest({ prisma, log, topicModel }, { date: HF_DAY, pageSize: PAGE })
    expect(resumed.alreadyPlanned).toBe(afterKill.size)
    expect(resumed.planned + resumed.skipped).toBe(expected.due - afterKill.size)
    expect(resumed.due).toBe(expected.due)

    const planned = await plannedPapers()
    expect(planned.size).toBe(expected.due)
    expect([...planned.keys()].sort((a, b) => a - b)).toEqual([...reference.keys()].sort((a, b) => a - b))
    for (const [reader, papers] of reference) expect(planned.get(reader), `reader ${reader}`).toEqual(papers)
    const run = await prisma.digestRun.findUniqueOrThrow({ where: { date: new Date(`${HF_DAY}T00:00:00Z`) } })
    expect(run.due).toBe(expected.due)
  })
})
