// npm run bench:delivery -- [--readers N] [--concurrency N] [--raw-messages N] [--batch N] [--fresh] [--keep-template]
// The delivery half of `npm run bench` alone, to iterate on the send path without planning
// and rendering a list each time: the list is stored and planned once into a template
// database (paperboy_bench_planned_N on DATABASE_URL's server), and every run copies it
// (CREATE DATABASE … TEMPLATE) and measures deliverDue against raw pooled nodemailer on the
// copy, exactly as the full benchmark's delivery phase does (delivery-phase.ts).
import { loadavg } from 'node:os'
import { loadConfig } from '../../src/config/env'
import { createDeps } from '../../src/deps'
import { planDigest } from '../../src/digest/plan'
import { parseFlags, runCli, UsageError, wholeNumber } from '../cli'
import { BENCH_DATE } from './bench-day'
import { measureDelivery } from './delivery-phase'
import { pendingDeliveryIds } from './pending-ids'
import { admin, fillScratchDb } from './scratch-db'
import { startSink } from './sink-process'
import { typicalEmail } from './typical-email'

const HELP = `Usage: npm run bench:delivery -- [--readers N] [--concurrency N] [--raw-messages N] [--batch N] [--fresh] [--keep-template]

Measures delivery against raw pooled nodemailer (as npm run bench does) on a copy of a planned
template database, built once per list size on DATABASE_URL's server (required).

  --readers N        readers of the list (default 100000)
  --concurrency N    SMTP connections for both sides (default SEND_CONCURRENCY)
  --raw-messages N   messages for the raw rate (default: min(readers, 10000))
  --batch N          deliveries a worker claims and renders at a time (default: deliverDue's)
  --fresh            rebuild the template first
  --keep-template    keep the template afterwards (default: dropped at the end)`

const withDb = (server: string, name: string) => {
  const u = new URL(server)
  u.pathname = `/${name}`
  return u.toString()
}

async function exists(server: string, name: string): Promise<boolean> {
  const pg = (await import('pg')).default
  const c = new pg.Client({ connectionString: server })
  await c.connect()
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    return r.rowCount === 1
  } finally {
    await c.end()
  }
}

await runCli(HELP, async (argv) => {
  const values = parseFlags(argv, {
    readers: { type: 'string' },
    concurrency: { type: 'string' },
    'raw-messages': { type: 'string' },
    batch: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    'keep-template': { type: 'boolean', default: false },
  })
  const base = loadConfig()
  if (!base.databaseUrl) throw new UsageError('DATABASE_URL is required (the template lives on its server)')
  const server = base.databaseUrl
  const readers = wholeNumber(values, 'readers', 1, 1_000_000) ?? 100_000
  const concurrency = wholeNumber(values, 'concurrency', 1, 100) ?? base.sendConcurrency
  const rawMessages = wholeNumber(values, 'raw-messages', 1, 1_000_000) ?? Math.min(readers, 10_000)
  const batchSize = wholeNumber(values, 'batch', 1, 10_000)
  const say = (msg: string) => console.error(`  … ${msg}`)

  const template = `paperboy_bench_planned_${readers}`
  if (values.fresh || !(await exists(server, template))) {
    say(`building ${template}: storing and planning ${readers.toLocaleString('en')} readers`)
    await admin(server, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)
    await admin(server, `CREATE DATABASE ${template}`)
    await fillScratchDb(withDb(server, template), readers, { weeklyShare: 0.2, historyDays: 6 })
    const deps = await createDeps(
      loadConfig({ ...process.env, DATABASE_URL: withDb(server, template), LOG_LEVEL: 'warn' }),
    )
    try {
      await planDigest(deps, { date: BENCH_DATE })
    } finally {
      await deps.close()
    }
  }

  const copy = `paperboy_bench_delivery_${process.pid}`
  await admin(server, `DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`)
  await admin(server, `CREATE DATABASE ${copy} TEMPLATE ${template}`)
  const url = withDb(server, copy)
  const sink = await startSink()
  try {
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: url,
      SMTP_URL: sink.url,
      SEND_CONCURRENCY: String(concurrency),
      SEND_RATE: '10000',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    })
    const deps = await createDeps(config)
    let sample: Awaited<ReturnType<typeof typicalEmail>>
    try {
      sample = await typicalEmail(deps, await pendingDeliveryIds(deps.prisma))
    } finally {
      await deps.close()
    }
    const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100)
    const run = { databaseUrl: url, config, concurrency, batchSize, rawMessages }
    const m = await measureDelivery(sink, run, sample.email, say)
    const loadAfter = loadavg().map((n) => Math.round(n * 100) / 100)
    console.log(JSON.stringify({ readers, concurrency, loadBefore, loadAfter, ...m }))
  } finally {
    await sink.stop()
    await admin(server, `DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`)
    if (!values['keep-template']) await admin(server, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)
  }
})
