// Shared conventions of every `npm run …` command: `--help` prints usage and exits 0;
// bad input exits 1 with one line naming the reason (no stack trace); `--json` is the
// command's own flag. Commands throw UsageError (or any error) and this turns it into that.
export class UsageError extends Error {}

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
    const message = err instanceof Error ? err.message : String(err)
    console.error(`${process.env.npm_lifecycle_event ?? 'paperboy'}: ${message.split('\n')[0]}`)
    if (process.env.PAPERBOY_DEBUG && err instanceof Error) console.error(err.stack)
    process.exitCode = 1
  }
}
