// npm run bench:signup-timing -- [--rounds N] [--json]
// Does the signup answer tell a stranger whether an address reads Paperboy? In a scratch
// database it starts the real app on a loopback port and, round after round, posts the
// same JSON signup for an active, an unknown and a pending address in shuffled order,
// over real HTTP with keep-alive, timing each answer. Reports p50/p90 per kind and how
// often the unknown address was slower than the active one (50 % means no tell).
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../../src/app'
import { loadConfig } from '../../src/config/env'
import { createDeps } from '../../src/deps'
import { parseFlags, runCli, wholeNumber } from '../cli'
import { createScratchDb } from './scratch-db'

const HELP = `Usage: npm run bench:signup-timing -- [--rounds N] [--json]

Times POST /api/subscriptions for active, unknown and pending addresses over loopback
HTTP in a scratch database on DATABASE_URL's server (or the embedded one).

  --rounds N   requests per kind (default 200)
  --json       print the results as one JSON object`

const KINDS = ['active', 'unknown', 'pending'] as const
type Kind = (typeof KINDS)[number]

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN
}
const round2 = (n: number) => Math.round(n * 100) / 100

await runCli(HELP, async (argv) => {
  const values = parseFlags(argv, { rounds: { type: 'string' }, json: { type: 'boolean', default: false } })
  const rounds = wholeNumber(values, 'rounds', 10, 5_000) ?? 200
  const base = loadConfig()
  const scratch = await createScratchDb(base)
  const outbox = await mkdtemp(join(tmpdir(), 'paperboy-signup-bench-'))
  // Each request from its own forwarded address, so the per-IP limit is not what answers.
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: scratch.url,
    OUTBOX_DIR: outbox,
    LOG_LEVEL: 'silent',
    TRUST_PROXY: 'true',
    SMTP_URL: '',
  })
  const deps = await createDeps(config, { migrate: true })
  const app = await buildApp(deps)
  try {
    await app.listen({ port: 0, host: '127.0.0.1' })
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/subscriptions`
    let client = 0
    const post = async (email: string) => {
      client++
      const started = performance.now()
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`,
        },
        body: JSON.stringify({ email, topics: ['robotics'], keywords: ['world model'] }),
      })
      await res.arrayBuffer()
      if (res.status !== 202) throw new Error(`signup answered ${res.status}`)
      return performance.now() - started
    }

    // One active and one pending address per round, made through the app itself.
    const address = (kind: Kind, i: number) => `${kind}-${i}@bench.example.org`
    for (let i = 0; i < rounds; i++) {
      await post(address('active', i))
      await post(address('pending', i))
    }
    for (const kind of ['active', 'pending'] as const) {
      const want = rounds
      for (let tries = 0; ; tries++) {
        const n = await deps.prisma.subscriber.count({ where: { emailKey: { startsWith: `${kind}-` } } })
        if (n >= want) break
        if (tries > 600) throw new Error(`only ${n} of ${want} ${kind} signups were stored`)
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    await deps.prisma.subscriber.updateMany({
      where: { emailKey: { startsWith: 'active-' } },
      data: { status: 'active', confirmedAt: new Date() },
    })

    // Warm-up, then the measured rounds in shuffled order.
    for (let i = 0; i < 20; i++) await post(`warm-${i}@bench.example.org`)
    const times: Record<Kind, number[]> = { active: [], unknown: [], pending: [] }
    let unknownSlower = 0
    for (let i = 0; i < rounds; i++) {
      const order = [...KINDS].sort(() => Math.random() - 0.5)
      const got: Partial<Record<Kind, number>> = {}
      for (const kind of order) got[kind] = await post(address(kind, i))
      for (const kind of KINDS) times[kind].push(got[kind]!)
      if (got.unknown! > got.active!) unknownSlower++
    }

    const result = {
      rounds,
      loadAverage: round2(loadavg()[0]!),
      p50Ms: Object.fromEntries(KINDS.map((k) => [k, round2(quantile(times[k], 0.5))])),
      p90Ms: Object.fromEntries(KINDS.map((k) => [k, round2(quantile(times[k], 0.9))])),
      unknownSlowerThanActive: round2(unknownSlower / rounds),
    }
    if (values.json) console.log(JSON.stringify(result))
    else {
      console.log(`signup answer over loopback HTTP, ${rounds} rounds, load ${result.loadAverage}`)
      for (const k of KINDS)
        console.log(`  ${k.padEnd(8)} p50 ${result.p50Ms[k]} ms   p90 ${result.p90Ms[k]} ms`)
      console.log(
        `  unknown slower than active in ${Math.round(result.unknownSlowerThanActive * 100)} % of rounds`,
      )
    }
  } finally {
    await app.close()
    await deps.close()
    await scratch.drop()
    await rm(outbox, { recursive: true, force: true })
  }
})
