// Structured logs (pino, the logger Fastify itself uses): object first, message second.
// Services log to stdout; command-line tools log to stderr, so that what they print on
// stdout (a --json report, an email) can be piped as it is.
import { destination, type Logger, pino } from 'pino'

export type { Logger }

export function createLogger(level: string, opts: { name?: string; to?: 'stdout' | 'stderr' } = {}): Logger {
  const options = { level, name: opts.name ?? 'paperboy', base: { pid: process.pid } }
  return opts.to === 'stderr' ? pino(options, destination(2)) : pino(options)
}
