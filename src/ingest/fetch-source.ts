// Fetches one source URL politely and defensively: a timeout per attempt, bounded retries
// with exponential backoff on 5xx/429/timeouts (Retry-After honoured, within a cap), at
// most one request per interval to arXiv hosts (host-throttle.ts), a size cap
// read from the stream rather than trusted from Content-Length, and a User-Agent that
// says who we are. Every delay goes through options so tests run in milliseconds.
import { createHostThrottle, type HostThrottle } from './host-throttle'
import { IngestError, MAX_DOCUMENT_BYTES } from './ingest-error'

export type FetchOptions = {
  timeoutMs?: number
  /** Retries after the first attempt. */
  retries?: number
  /** First backoff; doubles per retry, with jitter. */
  backoffMs?: number
  /** A Retry-After longer than this fails the fetch instead of stalling the daily run. */
  maxRetryAfterMs?: number
  maxBytes?: number
  userAgent?: string
  /** The process's per-host throttle (src/deps.ts); without one, this fetch gets its own. */
  throttle?: HostThrottle
  sleep?: (ms: number) => Promise<void>
}

export type Fetched = {
  url: string
  status: number
  contentType: string | null
  text: string
  attempts: number
}

export const DEFAULT_USER_AGENT =
  'Paperboy/0.1 (self-hosted research digest; fetches one daily list per source; +https://github.com/paperboy)'

const DEFAULTS = {
  timeoutMs: 30_000,
  retries: 3,
  backoffMs: 2_000,
  maxRetryAfterMs: 120_000,
  maxBytes: MAX_DOCUMENT_BYTES,
  userAgent: DEFAULT_USER_AGENT,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
} satisfies Required<Omit<FetchOptions, 'throttle'>>

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504])

export async function fetchSource(url: string, options: FetchOptions = {}): Promise<Fetched> {
  const o = { ...DEFAULTS, ...options }
  const throttle = options.throttle ?? createHostThrottle({ sleep: o.sleep })
  const target = new URL(url)
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new IngestError('network', `cannot fetch ${target.protocol} URLs: ${url}`)

  for (let attempt = 1; ; attempt++) {
    await throttle.wait(target.hostname)
    let delay: number
    let failure: IngestError
    try {
      const res = await fetch(target, {
        headers: {
          'user-agent': o.userAgent,
          accept: 'application/json, application/atom+xml, application/xml, text/*',
        },
        redirect: 'follow',
        signal: AbortSignal.timeout(o.timeoutMs),
      })
      if (res.ok) {
        const text = await readCapped(res, o.maxBytes, url)
        return {
          url,
          status: res.status,
          contentType: res.headers.get('content-type'),
          text,
          attempts: attempt,
        }
      }
      await res.body?.cancel()
      failure = statusError(res.status, url, attempt)
      if (!RETRYABLE.has(res.status)) throw failure
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'))
      if (retryAfter !== null && retryAfter > o.maxRetryAfterMs)
        throw new IngestError(
          'http',
          `HTTP ${res.status} from ${url}: Retry-After asks for ${Math.round(retryAfter / 1000)} s, more than the ${Math.round(o.maxRetryAfterMs / 1000)} s we wait`,
        )
      delay = retryAfter ?? backoff(o.backoffMs, attempt)
    } catch (err) {
      if (err instanceof IngestError) throw err
      failure = networkError(err, url, o.timeoutMs, attempt)
      delay = backoff(o.backoffMs, attempt)
    }
    if (attempt > o.retries) throw failure
    await o.sleep(delay)
  }
}

function backoff(base: number, attempt: number): number {
  // Full jitter on top of doubling, so many instances retrying one outage spread out.
  const ceiling = base * 2 ** (attempt - 1)
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2))
}

/** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header?.trim()) return null
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

function statusError(status: number, url: string, attempts: number): IngestError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
  if (status === 404 || status === 410)
    return new IngestError('not-found', `HTTP ${status} (not found) from ${url}${tries}`)
  return new IngestError('http', `HTTP ${status} from ${url}${tries}`)
}

function networkError(err: unknown, url: string, timeoutMs: number, attempts: number): IngestError {
  const e = err as Error & { cause?: { code?: string; message?: string } }
  const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
  if (e.name === 'TimeoutError')
    return new IngestError('network', `no answer from ${url} within ${timeoutMs} ms${tries}`)
  const reason = e.cause?.code ?? e.cause?.message ?? e.message
  return new IngestError('network', `cannot fetch ${url}: ${reason}${tries}`)
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  const tooLarge = () => new IngestError('too-large', `body of ${url} is larger than ${maxBytes} bytes`)
  if (declared > maxBytes) {
    await res.body?.cancel()
    throw tooLarge()
  }
  if (!res.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of res.body) {
    size += chunk.byteLength
    if (size > maxBytes) throw tooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
