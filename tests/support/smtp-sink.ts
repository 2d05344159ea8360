// A real SMTP server on 127.0.0.1 for tests, with the faults delivery must survive:
// 451 for a fraction of messages, 550 for chosen addresses, 421 (throttling), a slow
// server, and an outage (the server closes and later reopens on the same port). Every
// accepted message is kept with the headers tests check; `parse: 'full'` also runs it
// through mailparser for the text and HTML parts.
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { seededRandom as mulberry32 } from '../../src/matching/learn/seeded-random'

export type SinkMessage = {
  /** Message-ID header, with angle brackets. */
  messageId: string
  from: string
  to: string[]
  /** Header names lower-cased; values unfolded. */
  headers: Map<string, string>
  subject: string
  /** Only with parse: 'full'. */
  text?: string
  html?: string
  raw?: Buffer
  /** The queue id this server answered with ("250 OK: queued as <queueId>"). */
  queueId: string
}

export type SinkOptions = {
  /** 'headers' (fast, default) or 'full' (mailparser: text and HTML too). */
  parse?: 'headers' | 'full'
  keepRaw?: boolean
  /** Fraction of messages answered 451 after DATA (decided per attempt, by a seeded generator). */
  tempFailRate?: number
  seed?: number
  /** Addresses (lower-case) refused with 550 at RCPT TO. */
  reject?: Iterable<string>
  /** Delay before answering each message's DATA (a slow server), ms. */
  latencyMs?: number
  /** Delay before greeting a new connection, ms: a sender is caught mid-send, nothing accepted yet. */
  greetingDelayMs?: number
}

export type SmtpSink = {
  readonly port: number
  readonly url: string
  readonly messages: SinkMessage[]
  readonly counts: {
    accepted: number
    tempFailed: number
    rejected: number
    throttled: number
    connections: number
    /** Messages whose DATA has begun (accepted or not yet answered). */
    receiving: number
  }
  options: SinkOptions
  /** Answer 421 to the next `n` MAIL FROM commands. */
  throttleNext(n: number): void
  /** Closes the port (connections dropped), so sends fail to connect, until start(). */
  stop(): Promise<void>
  /** Reopens on the same port. */
  start(): Promise<void>
  /** stop(), then start() again after `ms`; resolves once it is back. */
  outage(ms: number): Promise<void>
  /** Messages per Message-ID (more than one: a duplicate). */
  byMessageId(): Map<string, SinkMessage[]>
  close(): Promise<void>
}

export async function startSmtpSink(initial: SinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = []
  const counts = {
    accepted: 0,
    tempFailed: 0,
    rejected: 0,
    throttled: 0,
    connections: 0,
    receiving: 0,
    socketErrors: 0,
  }
  const rng = mulberry32(initial.seed ?? 7)
  let throttle = 0
  let queue = 0
  let server: SMTPServer | undefined
  let port = 0

  const sink: SmtpSink = {
    get port() {
      return port
    },
    get url() {
      return `smtp://127.0.0.1:${port}`
    },
    messages,
    counts,
    options: initial,
    throttleNext(n) {
      throttle += n
    },
    async stop() {
      const s = server
      server = undefined
      if (s) await new Promise<void>((r) => s.close(() => r()))
    },
    async start() {
      if (server) return
      server = create()
      const s = server
      s.on('error', () => {
        counts.socketErrors++
      })
      await new Promise<void>((resolve, reject) => {
        s.server.once('error', reject)
        s.listen(port, '127.0.0.1', () => resolve())
      })
      port = (s.server.address() as AddressInfo).port
    },
    async outage(ms) {
      await sink.stop()
      await new Promise((r) => setTimeout(r, ms))
      await sink.start()
    },
    byMessageId() {
      const m = new Map<string, SinkMessage[]>()
      for (const msg of messages) m.set(msg.messageId, [...(m.get(msg.messageId) ?? []), msg])
      return m
    },
    close: () => sink.stop(),
  }

  function create(): SMTPServer {
    const fail = (message: string, responseCode: number) =>
      Object.assign(new Error(message), { responseCode })
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      // A stopped sink drops its connections at once instead of waiting 30 s for them.
      closeTimeout: 50,
      size: 10 * 1024 * 1024,
      logger: false,
      onConnect(_session, cb) {
        counts.connections++
        const delay = sink.options.greetingDelayMs ?? 0
        if (delay > 0) setTimeout(cb, delay).unref()
        else cb()
      },
      onMailFrom(_address, _session, cb) {
        if (throttle > 0) {
          throttle--
          counts.throttled++
          return cb(fail('4.7.0 Too many messages, slow down', 421))
        }
        cb()
      },
      onRcptTo(address, _session, cb) {
        const reject = new Set([...(sink.options.reject ?? [])].map((a) => a.toLowerCase()))
        if (reject.has(address.address.toLowerCase())) {
          counts.rejected++
          return cb(fail('5.1.1 No such user here', 550))
        }
        cb()
      },
      onData(stream, session, cb) {
        counts.receiving++
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', async () => {
          try {
            const { latencyMs = 0, tempFailRate = 0 } = sink.options
            if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs))
            if (tempFailRate > 0 && rng() < tempFailRate) {
              counts.tempFailed++
              return cb(fail('4.3.0 Temporary local problem, try again', 451))
            }
            const raw = Buffer.concat(chunks)
            const queueId = `Q${(++queue).toString(36).toUpperCase()}`
            const msg = await parseMessage(raw, sink.options.parse ?? 'headers')
            messages.push({
              ...msg,
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              queueId,
              raw: sink.options.keepRaw ? raw : undefined,
            })
            counts.accepted++
            cb(null, `OK: queued as ${queueId}`)
          } catch (err) {
            cb(err as Error)
          }
        })
      },
    })
  }

  await sink.start()
  return sink
}

async function parseMessage(
  raw: Buffer,
  mode: 'headers' | 'full',
): Promise<Pick<SinkMessage, 'messageId' | 'headers' | 'subject' | 'text' | 'html'>> {
  const headers = parseHeaders(raw)
  const base = { messageId: headers.get('message-id') ?? '', headers, subject: headers.get('subject') ?? '' }
  if (mode === 'headers') return base
  const parsed = await simpleParser(raw)
  return {
    ...base,
    subject: parsed.subject ?? base.subject,
    text: parsed.text,
    html: parsed.html || undefined,
  }
}

/** The header block, unfolded, names lower-cased (the first occurrence of a name wins). */
export function parseHeaders(raw: Buffer): Map<string, string> {
  const end = raw.indexOf('\r\n\r\n')
  const block = raw.subarray(0, end < 0 ? raw.length : end).toString('utf8')
  const out = new Map<string, string>()
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':')
    if (i <= 0) continue
    const name = line.slice(0, i).trim().toLowerCase()
    if (!out.has(name)) out.set(name, line.slice(i + 1).trim())
  }
  return out
}
