// @fastify/rate-limit's store over the shared window counters (limits/), so every
// instance of the service counts a client's requests in one place. The plugin builds the
// store with `new Store(options)` and asks each limiter for a `child`; a child's keys
// carry the limiter's name (its `groupId`, else its route), so two limits never share a
// count by accident.
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { WindowCounter } from '../limits/window-counter'

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void

export function sharedRateLimitStore(counter: WindowCounter): FastifyRateLimitStoreCtor {
  class SharedStore {
    constructor(
      _options?: unknown,
      private readonly prefix = 'http:',
    ) {}

    incr(key: string, cb: Callback, timeWindow: number): void {
      counter.hit(this.prefix + key, timeWindow).then(
        (r) => cb(null, { current: r.hits, ttl: r.resetInMs }),
        (err: Error) => cb(err),
      )
    }

    read(key: string, cb: Callback): void {
      counter.peek(this.prefix + key).then(
        (r) => cb(null, { current: r.hits, ttl: r.resetInMs }),
        (err: Error) => cb(err),
      )
    }

    child(options: object): SharedStore {
      // The plugin hands in the limiter's options merged with its route's.
      const routeOptions = options as { groupId?: string; routeInfo?: { method?: string; url?: string } }
      const name =
        routeOptions.groupId ?? `${routeOptions.routeInfo?.method ?? ''}${routeOptions.routeInfo?.url ?? ''}`
      if (!name) throw new Error('a shared rate limit needs a groupId or a route to name its counter')
      return new SharedStore(undefined, `${this.prefix}${name}:`)
    }
  }
  return SharedStore as unknown as FastifyRateLimitStoreCtor
}
