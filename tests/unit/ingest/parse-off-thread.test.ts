import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { IngestError } from '../../../src/ingest/ingest-error'
import { parseOffThread } from '../../../src/ingest/parse-off-thread'
import { currentThreadId, threadCpuMs } from '../../../src/ingest/thread-cpu'

const day = readFileSync(new URL('../../fixtures/arxiv-rss-cs.LG-2026-04-27.xml', import.meta.url), 'utf8')

/** The real day's first item 2,000 times (the most a document may hold) under new ids: a 3 MB feed that takes a while to parse. */
function largeFeed(): string {
  const item = /<item>[\s\S]*?<\/item>/.exec(day)![0]
  const items = Array.from({ length: 2000 }, (_, i) =>
    item.replaceAll('2604.21952', `2604.${String(30000 + i)}`),
  )
  return day.replace(/<item>[\s\S]*<\/item>/, items.join('\n'))
}

function burn(ms: number): void {
  const end = process.cpuUsage().user + ms * 1000
  while (process.cpuUsage().user < end) Math.sqrt(Math.random())
}

describe.skipIf(process.platform !== 'linux')('the parse deadline counts the parser thread’s CPU', () => {
  it('reads a thread’s CPU time, which grows with work and not with waiting', async () => {
    const tid = currentThreadId()
    expect(tid).toMatch(/^\d+$/)
    const before = threadCpuMs(tid!)!
    await new Promise((r) => setTimeout(r, 300))
    const afterWait = threadCpuMs(tid!)!
    burn(300)
    const afterWork = threadCpuMs(tid!)!
    expect(afterWait - before).toBeLessThan(150)
    expect(afterWork - afterWait).toBeGreaterThanOrEqual(200)
    expect(threadCpuMs('999999999')).toBeUndefined()
  })

  it('refuses a document whose parse spends more CPU than the limit, and parses it within the default', async () => {
    const feed = largeFeed()
    const result = await parseOffThread(feed)
    expect(result.papers).toHaveLength(2000)
    const tiny = parseOffThread(feed, { limits: { timeoutMs: 1, heapMb: 128 } })
    await expect(tiny).rejects.toThrow(IngestError)
    await expect(tiny).rejects.toThrow(/^refused: parsing took more than 0.001 s of CPU$/)
  })
})
