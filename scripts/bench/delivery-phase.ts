// The benchmark's delivery measurement: deliverDue against nodemailer's raw pooled rate,
// to the same sink, with the same connections and messages of the same size, in one run.
// Each side runs in a child process (delivery-child.ts) so that CPU per message and peak
// RSS are that side's alone. The raw rate is measured in two halves, before and after
// delivery, so a change in the machine's load during the run weighs on both sides.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Config } from '../../src/config/env'
import type { OutgoingEmail } from '../../src/delivery/mailer'
import { BENCH_DATE } from './bench-day'
import type { ChildJob, ChildResult } from './delivery-child'
import type { Sink } from './sink-process'

const CHILD = fileURLToPath(new URL('./delivery-child.ts', import.meta.url))

export type DeliveryMeasure = {
  delivery: {
    seconds: number
    msgPerSec: number
    peakRssMb: number
    cpuMsPerMsg: number
    sent: number
    failed: number
    retried: number
    left: number
    sinkAccepted: number
    sinkBytesPerMessage: number
  }
  raw: {
    msgPerSec: number
    cpuMsPerMsg: number
    messages: number
    errors: number
    seconds: number
    msgPerSecBefore: number
    msgPerSecAfter: number
    peakRssMb: number
    sinkAccepted: number
    sinkBytesPerMessage: number
  }
  /**
   * Like for like: raw nodemailer told the transfer encoding delivery names (the same bytes,
   * without nodemailer's scan to choose it). Not the target's baseline; shown beside it.
   */
  rawSameEncoding: { msgPerSec: number; cpuMsPerMsg: number; messages: number; sinkBytesPerMessage: number }
  deliveryVsRaw: number
  deliveryVsRawSameEncoding: number
}

/** The delivering process's environment: the scratch database, the sink, the pool's size. */
function workerEnv(
  databaseUrl: string,
  smtpUrl: string,
  concurrency: number,
  config: Pick<Config, 'sendRate' | 'logLevel'>,
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    SEND_CONCURRENCY: String(concurrency),
    SEND_RATE: config.sendRate.toString(),
    LOG_LEVEL: config.logLevel,
  }
}

/** Runs one job in a fresh child (same heap limit as this process). */
function inChild(job: ChildJob): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: [
        '--import',
        'tsx',
        ...process.execArgv.filter((a) => a.startsWith('--max-old-space-size')),
        // BENCH_CPU_PROF=DIR: a V8 CPU profile of each side, to compare where the time goes.
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let answered = false
    child.once('message', (m: { ok: boolean; result?: ChildResult; error?: string }) => {
      answered = true
      if (m.ok) resolve(m.result!)
      else reject(new Error(`delivery benchmark child failed: ${m.error}`))
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`delivery benchmark child exited with code ${code} before answering`))
    })
    child.send(job)
  })
}

/** What both benchmarks (index.ts, delivery-rerun.ts) deliver: their scratch database's planned day. */
export type DeliveryRun = {
  databaseUrl: string
  config: Pick<Config, 'sendRate' | 'logLevel' | 'mailFrom'>
  concurrency: number
  batchSize: number | undefined
  rawMessages: number
}

export async function measureDelivery(
  sink: Sink,
  run: DeliveryRun,
  sample: OutgoingEmail,
  say: (msg: string) => void,
): Promise<DeliveryMeasure> {
  const opts = {
    ...run,
    sink,
    sample,
    say,
    date: BENCH_DATE,
    from: run.config.mailFrom,
    // The delivering process sees the same environment the planning one was given.
    env: workerEnv(run.databaseUrl, sink.url, run.concurrency, run.config),
  }
  const measured = async (job: ChildJob) => {
    const before = await sink.count()
    const r = await inChild(job)
    const after = await sink.count()
    return { ...r, accepted: after.count - before.count, bytes: after.bytes - before.bytes }
  }
  const rawHalf = (label: string, messages: number, textEncoding?: 'quoted-printable') => {
    opts.say(`raw nodemailer pool (${label}): ${messages.toLocaleString('en')} messages`)
    return measured({
      mode: 'raw',
      url: sink.url,
      from: opts.from,
      email: opts.sample,
      messages,
      connections: opts.concurrency,
      textEncoding,
    })
  }
  const before = await rawHalf('before delivery', Math.ceil(opts.rawMessages / 2))
  opts.say('delivering (deliverDue in a worker process)')
  const d = await measured({
    mode: 'deliver',
    env: opts.env,
    date: opts.date,
    concurrency: opts.concurrency,
    batchSize: opts.batchSize,
  })
  const after = await rawHalf('after delivery', Math.floor(opts.rawMessages / 2))
  const same = await rawHalf(
    'quoted-printable named, like delivery',
    Math.ceil(opts.rawMessages / 2),
    'quoted-printable',
  )
  const sameRate = same.messages / same.seconds

  const rawMessages = before.messages + after.messages
  const rawSeconds = before.seconds + after.seconds
  const rawRate = rawMessages / rawSeconds
  const deliveryRate = d.messages / d.seconds
  const perMsg = (cpuSeconds: number, n: number) => round((cpuSeconds * 1000) / Math.max(1, n), 3)
  const bytesPer = (bytes: number, n: number) => Math.round(bytes / Math.max(1, n))
  return {
    delivery: {
      seconds: round(d.seconds),
      msgPerSec: Math.round(deliveryRate),
      peakRssMb: d.maxRssMb,
      cpuMsPerMsg: perMsg(d.cpuSeconds, d.messages),
      sent: d.summary!.sent,
      failed: d.summary!.failed,
      retried: d.summary!.retried,
      left: d.summary!.left,
      sinkAccepted: d.accepted,
      sinkBytesPerMessage: bytesPer(d.bytes, d.accepted),
    },
    raw: {
      msgPerSec: Math.round(rawRate),
      cpuMsPerMsg: perMsg(before.cpuSeconds + after.cpuSeconds, rawMessages),
      messages: rawMessages,
      errors: before.errors + after.errors,
      seconds: round(rawSeconds),
      msgPerSecBefore: Math.round(before.messages / before.seconds),
      msgPerSecAfter: Math.round(after.messages / after.seconds),
      peakRssMb: Math.max(before.maxRssMb, after.maxRssMb),
      sinkAccepted: before.accepted + after.accepted,
      sinkBytesPerMessage: bytesPer(before.bytes + after.bytes, before.accepted + after.accepted),
    },
    rawSameEncoding: {
      msgPerSec: Math.round(sameRate),
      cpuMsPerMsg: perMsg(same.cpuSeconds, same.messages),
      messages: same.messages,
      sinkBytesPerMessage: bytesPer(same.bytes, same.accepted),
    },
    deliveryVsRaw: round(deliveryRate / rawRate, 3),
    deliveryVsRawSameEncoding: round(deliveryRate / sameRate, 3),
  }
}

function round(n: number, digits = 2): number {
  return Math.round(n * 10 ** digits) / 10 ** digits
}
