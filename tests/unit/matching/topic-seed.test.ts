import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readTopicSeeds } from '../../../src/db/seed-topics'
import { Vocabulary } from '../../../src/matching/compile-vocabulary'

// The seed and the daily run read vocabularies with one schema: what seeds, plans.
describe('topic seed', () => {
  const seedFile = async (weight: number) => {
    const dir = await mkdtemp(join(tmpdir(), 'paperboy-seed-'))
    const file = join(dir, 'topics.json')
    const topic = { slug: 'robots', name: 'Robots', description: '', vocabulary: [{ term: 'robot', weight }] }
    await writeFile(file, JSON.stringify([topic]))
    return file
  }

  it('refuses a weight the matcher would refuse (0), instead of seeding it', async () => {
    expect(Vocabulary.safeParse([{ term: 'robot', weight: 0 }]).success).toBe(false)
    await expect(readTopicSeeds(await seedFile(0))).rejects.toThrow(/weight/)
  })

  it('seeds what the matcher accepts, and the shipped taxonomy', async () => {
    expect(await readTopicSeeds(await seedFile(1.5))).toHaveLength(1)
    expect(await readTopicSeeds()).toHaveLength(20)
  })
})
