// `npm run bench:send-rate`: SEND_RATE shared by several worker processes, measured. In a
// scratch database it plans a day for enough readers to keep the workers busy, starts W
// `npm run worker` processes (scripts/worker.ts) against an SMTP sink in another process,
// and times M messages at the sink once every worker is running: together they should send
// SEND_RATE messages a second, not W times it.
import { type ChildProcess, spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../src/config/env'
import { createDeps } from '../../src/deps'
import { planDigest } from '../../src/digest/plan'
import { parseFlags, runCli, wholeNumber } from '../cli'
import { BENCH_DATE } from './bench-day'
import { createScratchDb, fillScratchDb } from './scratch-db'
import { startSink } from './sink-process'

const HELP = `Usage: npm run bench:send-rate -- [--workers N] [--rate R] [--messages M] [--json]

Starts N delivery worker processes (default 3) with SEND_RATE=R (default 50) on one scratch
database and times M messages (default 20 × R) at an SMTP sink once all are running.`

const root = fileURLToPath(new URL('../..', import.meta.url))

await runCli(HELP, async (argv) => {
  const values = parseFlags(argv, {
    workers: { type: 'string' },
    rate: { type: 'string' },
    messages: { type: 'string' },
    json: { type: 'boolean', default: false },
  })
  const workers = wholeNumber(values, 'workers', 1, 20) ?? 3
  const rate = wholeNumber(values, 'rate', 1, 1_000) ?? 50
  const messages = wholeNumber(values, 'messages', 10, 100_000) ?? rate * 20
  const json = values.json === true
  const say = (msg: string) => {
    if (!json) console.error(`  … ${msg}`)
  }
  const base = loadConfig()
  const scratch = await createScratchDb(base)
  const sink = await startSink()
  const children: ChildProcess[] = []
  try {
    // Enough due readers for the start-up and the measurement, twice over (about 72 % are due).
    const readers = Math.ceil((messages + rate * 30 * workers) * 2)
    say(`scratch database ${scratch.name}: ${readers.toLocaleString('en')} readers`)
    await fillScratchDb(scratch.url, readers)
    const config = loadConfig({ ...process.env, DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' })
    const deps = await createDeps(config)
    const plan = await planDigest(
      { prisma: deps.prisma, log: deps.log, topicModel: deps.topicModel },
      { date: BENCH_DATE },
    )
    await deps.close()
    say(`${plan.planned.toLocaleString('en')} planned; starting ${workers} workers at SEND_RATE=${rate}`)

    const ready: Promise<void>[] = []
    const sentBy: number[] = new Array(workers).fill(0)
    for (let w = 0; w < workers; w++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: scratch.url,
          SMTP_URL: sink.url,
          SEND_RATE: String(rate),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      children.push(child)
      ready.push(
        new Promise((resolve, reject) => {
          let buffered = ''
          child.once('exit', (code) => reject(new Error(`worker ${w + 1} exited with code ${code}`)))
          child.stdout!.on('data', (chunk: Buffer) => {
            buffered += chunk.toString()
            const lines = buffered.split('\n')
            buffered = lines.pop()!
            for (const line of lines) {
              if (!line.startsWith('{')) continue
              const entry = JSON.parse(line) as { msg?: string; sent?: number }
              if (entry.msg === 'delivery worker started') resolve()
              if (entry.msg === 'delivery worker stopped') sentBy[w] = entry.sent ?? 0
            }
          })
        }),
      )
    }
    await Promise.all(ready)
    const waitFor = async (count: number) => {
      for (;;) {
        if ((await sink.count()).count >= count) return performance.now()
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    const from = (await sink.count()).count + rate
    say(`all ${workers} running; timing ${messages.toLocaleString('en')} messages`)
    const t0 = await waitFor(from)
    const t1 = await waitFor(from + messages)
    const measured = messages / ((t1 - t0) / 1000)
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            c.removeAllListeners('exit')
            c.once('exit', () => resolve())
            c.kill('SIGTERM')
          }),
      ),
    )
    const result = {
      workers,
      sendRate: rate,
      messages,
      seconds: Math.round(t1 - t0) / 1000,
      msgPerSec: Math.round(measured * 10) / 10,
      vsSendRate: Math.round((measured / rate) * 1000) / 1000,
      sentByWorker: sentBy,
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
      withinTenPercent: Math.abs(measured / rate - 1) <= 0.1,
    }
    if (json) console.log(JSON.stringify(result))
    else
      console.log(
        `${workers} workers at SEND_RATE=${rate}: ${result.msgPerSec} msg/s together over ${messages} messages ` +
          `(${(result.vsSendRate * 100).toFixed(1)} % of the rate; sent ${sentBy.join(' + ')}), load average ${result.loadAverage1m}`,
      )
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    await sink.stop()
    await scratch.drop()
  }
})
