// A linear pass over JSON text before JSON.parse builds it: JSON.parse has no limits, and
// 10 MB of "{}," is 3.4 million objects that took 400 MB and seven seconds to build. A real
// day's list (2,000 papers at most, each with its author objects) stays far inside these.
import { IngestError } from './ingest-error'

export const JSON_LIMITS = {
  /** Objects and arrays in the document. */
  containers: 200_000,
  /** Values of any kind (commas and containers counted). */
  values: 2_000_000,
  /** Nesting: a daily-papers item nests four levels. */
  depth: 64,
} as const

/** Throws IngestError('too-complex') when `text` would build more than JSON_LIMITS. */
export function checkJsonShape(text: string, limits = JSON_LIMITS): void {
  let depth = 0
  let containers = 0
  let values = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limits.depth) refuse(`JSON nests deeper than ${limits.depth} levels`)
      if (++containers > limits.containers)
        refuse(`JSON has more than ${limits.containers} objects and arrays`)
    } else if (c === 0x7d || c === 0x5d) depth--
    else if (c === 0x2c && ++values > limits.values) refuse(`JSON has more than ${limits.values} values`)
  }
}

function refuse(why: string): never {
  throw new IngestError('too-complex', `refused: ${why}`)
}
