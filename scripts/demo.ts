// npm run demo [-- --json]
// The whole product on one machine: migrate the (embedded) database, seed five readers,
// ingest the bundled real day, plan it, render and "send" every email to the outbox, and
// print where to open them. Safe to run again: it finds the day ingested, the readers
// planned and the emails sent, and prints the same table.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../src/config/env'
import { deliverDue } from '../src/delivery/deliver-due'
import { fileBase } from '../src/delivery/outbox-mailer'
import { createDeps } from '../src/deps'
import { renderDeliveries } from '../src/digest/digest-email'
import { planDigest } from '../src/digest/plan'
import { ingestDay } from '../src/ingest/ingest-day'
import { createLogger } from '../src/log'
import { parseFlags, runCli, UsageError } from './cli'
import { DEMO_READERS, seedDemoReaders } from './demo-readers'

const DATE = '2025-06-02'
const DAY_FILE = fileURLToPath(new URL(`../prisma/demo/hf-daily-papers-${DATE}.json`, import.meta.url))

const HELP = `Usage: npm run demo [-- --json]

Runs Paperboy end to end on this machine: migrates the database (embedded PostgreSQL
under .data/ unless DATABASE_URL is set), seeds five demo readers, ingests the bundled
Hugging Face list of ${DATE}, plans and renders each reader's email and writes it to
OUTBOX_DIR (default outbox/), then prints a table of readers, papers, subjects and the
HTML file to open in a browser. Running it again changes nothing.

  --json   print the table as JSON`

await runCli(HELP, async (argv) => {
  const json = parseFlags(argv, { json: { type: 'boolean', default: false } }).json === true
  const config = loadConfig()
  // The demo's addresses are made up; with SMTP configured it would try to mail them.
  if (config.smtpUrl)
    throw new UsageError('the demo writes its emails to the outbox; unset SMTP_URL to run it')
  const say = json ? () => {} : (line: string) => console.log(line)
  // Progress is printed as plain lines; the JSON logs only speak up for problems (unless LOG_LEVEL says otherwise).
  const log = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn')
  const deps = await createDeps(config, { migrate: true, log })
  try {
    const { prisma } = deps
    const { ids, created } = await seedDemoReaders(prisma)
    say(`readers: ${created} created, ${DEMO_READERS.length - created} already there`)

    const listed = await prisma.dailyList.findFirst({ where: { date: new Date(`${DATE}T00:00:00Z`) } })
    if (listed) say(`papers: ${DATE} already ingested`)
    else {
      const report = await ingestDay(prisma, { date: DATE, file: DAY_FILE })
      say(`papers: ${report.stored} papers of ${DATE} ingested from ${report.source}`)
    }

    const plan = await planDigest(deps, { date: DATE })
    say(
      plan.planned + plan.skipped === 0
        ? `plan: all ${plan.alreadyPlanned} due readers were already planned for ${DATE}`
        : `plan: ${plan.planned} emails planned, ${plan.skipped} skipped (${plan.alreadyPlanned} planned before)`,
    )

    const sent = await deliverDue(deps, { date: DATE, maxWaitMs: 5_000 })
    say(
      sent.sent === 0 && sent.left === 0
        ? `send: nothing left to send for ${DATE} (already in ${resolve(config.outboxDir)})`
        : `send: ${sent.sent} written to ${resolve(config.outboxDir)}, ${sent.left} left`,
    )

    const rows = await tableRows(deps, [...ids.values()], config.outboxDir)
    if (json)
      console.log(
        JSON.stringify({ date: DATE, archiveUrl: `${config.publicUrl}/archive/${DATE}`, readers: rows }),
      )
    else {
      printTable(rows)
      console.log(
        `\nOpen a file above in a browser, or run \`npm start\` and visit ${config.publicUrl}/archive/${DATE}`,
      )
    }
  } finally {
    await deps.close()
  }
})

interface Row {
  reader: string
  status: string
  papers: number
  subject: string
  file: string
}

/** From the rows as they stand, so a second run prints the same table as the first. */
async function tableRows(
  deps: Parameters<typeof renderDeliveries>[0],
  subscriberIds: number[],
  outboxDir: string,
) {
  const deliveries = await deps.prisma.delivery.findMany({
    where: { subscriberId: { in: subscriberIds }, date: new Date(`${DATE}T00:00:00Z`) },
    include: { subscriber: { select: { email: true } } },
    orderBy: { subscriberId: 'asc' },
  })
  const emails = await renderDeliveries(
    deps,
    deliveries.map((d) => d.id),
  )
  return deliveries.map((d): Row => {
    const email = emails.get(d.id)
    const file = email?.messageId ? join(resolve(outboxDir), `${fileBase(email.messageId)}.html`) : ''
    return {
      reader: d.subscriber.email,
      status: d.status === 'skipped' ? `skipped: ${d.skipReason}` : d.status,
      papers: d.paperIds.length,
      subject: email?.subject ?? '—',
      file: file && existsSync(file) ? file : '—',
    }
  })
}

function printTable(rows: Row[]) {
  const head: Row = { reader: 'reader', status: 'status', papers: 0, subject: 'subject', file: 'file' }
  const cells = (r: Row, isHead = false) => [
    r.reader,
    isHead ? 'papers' : String(r.papers),
    r.subject,
    r.status === 'sent' || isHead ? r.file : `${r.file} (${r.status})`,
  ]
  const all = [cells(head, true), ...rows.map((r) => cells(r))]
  const widths = [0, 1, 2].map((i) => Math.max(...all.map((c) => c[i]!.length)))
  console.log('')
  for (const [i, c] of all.entries()) {
    console.log(c.map((v, k) => (k < 3 ? v.padEnd(widths[k]!) : v)).join('  '))
    if (i === 0) console.log(`${widths.map((w) => '-'.repeat(w)).join('  ')}  ----`)
  }
}
