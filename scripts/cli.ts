// Shared conventions of every `npm run …` command: `--help` prints usage and exits 0;
// bad input exits 1 with one line naming the reason (no stack trace); `--json` is the
// command's own flag. Commands throw UsageError (or any error) and this turns it into that.
import { parseArgs } from 'node:util'
import { failureReason } from '../src/failure-reason'
import { IsoDate } from '../src/ingest/ingest-day'

export class UsageError extends Error {}

export type Flags = Record<string, string | boolean | undefined>
type FlagSpec = Record<string, { type: 'string' } | { type: 'boolean'; default?: boolean }>

/** Named flags only (no positionals); an unknown or malformed flag is a UsageError. */
export function parseFlags(argv: string[], options: FlagSpec): Flags {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Flags
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

/** `--name N` as a whole number from `min` to `max`; undefined when the flag is absent. */
export function wholeNumber(flags: Flags, name: string, min: number, max: number): number | undefined {
  const raw = flags[name]
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`)
  return n
}

/** The required `--date YYYY-MM-DD`, checked to be a calendar date. */
export function requiredDate(flags: Flags): string {
  const raw = flags.date
  if (typeof raw !== 'string' || raw === '')
    throw new UsageError('--date YYYY-MM-DD is required (see --help)')
  const date = IsoDate.safeParse(raw)
  if (!date.success) throw new UsageError(`--date ${date.error.issues[0]?.message}`)
  return date.data
}

export async function runCli(help: string, main: (argv: string[]) => Promise<unknown>): Promise<void> {
  const argv = process.argv.slice(2)
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(help)
    return
  }
  try {
    const code = await main(argv)
    process.exitCode = typeof code === 'number' ? code : 0
  } catch (err) {
    console.error(`${process.env.npm_lifecycle_event ?? 'paperboy'}: ${failureReason(err)}`)
    if (process.env.PAPERBOY_DEBUG && err instanceof Error) console.error(err.stack)
    process.exitCode = 1
  }
}
