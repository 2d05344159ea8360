// At most one request per interval to a throttled host (arXiv's API terms ask for 3 s).
// One throttle per process, built in src/deps.ts and handed to every fetch, so the daily
// run, its retries and a preview's fetch take turns; a fetch given none gets one of its
// own, which still spaces its retries. Time-based rather than a trailing timer, so a CLI
// run does not linger after its last request.

export type HostThrottle = {
  /** Resolves when a request to this host may start (at once for hosts not throttled). */
  wait(hostname: string): Promise<void>
}

export type HostThrottleOptions = {
  /** Minimum gap between the starts of two requests to one throttled host. */
  minIntervalMs?: number
  isThrottledHost?: (hostname: string) => boolean
  sleep?: (ms: number) => Promise<void>
}

export const isArxivHost = (host: string) => host === 'arxiv.org' || host.endsWith('.arxiv.org')

export function createHostThrottle(opts: HostThrottleOptions = {}): HostThrottle {
  const minIntervalMs = opts.minIntervalMs ?? 3_000
  const isThrottled = opts.isThrottledHost ?? isArxivHost
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  // Per host: when the last request started, and a queue so concurrent callers take turns
  // instead of all waking at the same instant.
  const lastStart = new Map<string, number>()
  const queue = new Map<string, Promise<void>>()
  return {
    async wait(host) {
      if (!isThrottled(host)) return
      const turn = (queue.get(host) ?? Promise.resolve()).then(async () => {
        const wait = (lastStart.get(host) ?? Number.NEGATIVE_INFINITY) + minIntervalMs - Date.now()
        if (wait > 0) await sleep(wait)
        lastStart.set(host, Date.now())
      })
      queue.set(host, turn)
      await turn
    },
  }
}
