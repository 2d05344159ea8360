// Structured logs (pino, the logger Fastify itself uses): object first, message second.
import { type Logger, pino } from 'pino'

export type { Logger }

export function createLogger(level: string, opts: { name?: string } = {}): Logger {
  return pino({ level, name: opts.name ?? 'paperboy', base: { pid: process.pid } })
}
