// The shared hit counters in Redis (REDIS_URL): INCR, and on a key's first hit PEXPIRE,
// in one Lua script so the count and its expiry cannot come apart (the same script
// @fastify/rate-limit's own Redis store runs). Redis deletes a closed window itself.
// ioredis: the maintained Redis client with scripting, reconnection and offline queueing.
import { Redis } from 'ioredis'
import type { WindowCount, WindowCounter } from './window-counter'

const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`

const PEEK = `
local hits = redis.call('GET', KEYS[1])
if not hits then return {0, 0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {tonumber(hits), ttl}`

export type RedisCounterOptions = {
  url: string
  prefix?: string
  connectTimeoutMs?: number
  /** A lost connection (ioredis reconnects by itself; meanwhile requests fail). */
  onError?: (err: Error) => void
}

/** Connects (and checks with PING) before returning, so a wrong REDIS_URL stops the start. */
export async function createRedisWindowCounter(opts: RedisCounterOptions): Promise<WindowCounter> {
  const prefix = opts.prefix ?? 'paperboy:rate:'
  const redis = new Redis(opts.url, {
    lazyConnect: true,
    connectTimeout: opts.connectTimeoutMs ?? 5_000,
    // A request waits for at most one reconnection, then fails (answered 5xx) rather than hanging.
    maxRetriesPerRequest: 1,
  })
  let connected = false
  redis.on('error', (err: Error) => {
    if (connected) opts.onError?.(err)
  })
  try {
    await redis.connect()
    await redis.ping()
    connected = true
  } catch (err) {
    redis.disconnect()
    throw new Error(`REDIS_URL: cannot reach Redis (${(err as Error).message})`)
  }
  const run = async (script: string, key: string, ...args: (string | number)[]): Promise<WindowCount> => {
    const [hits, ttl] = (await redis.eval(script, 1, prefix + key, ...args)) as [number, number]
    return { hits, resetInMs: ttl }
  }
  return {
    kind: 'redis',
    hit: (key, windowMs) => run(HIT, key, Math.max(1, Math.round(windowMs))),
    peek: (key) => run(PEEK, key),
    prune: async () => 0,
    async close() {
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}
