// One line saying why something failed, for a CLI's stderr and a DigestRun's `error`. An
// empty reason is a bug in itself: Prisma's messages start with a line break ("\nInvalid
// `prisma.$queryRaw()` invocation: …"), so taking the first line used to record "".

type ErrorLike = {
  message?: unknown
  code?: unknown
  name?: unknown
  meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown; originalCode?: unknown } } }
}

export function failureReason(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike
  const db = e.meta?.driverAdapterError?.cause
  if (typeof db?.originalMessage === 'string' && db.originalMessage.trim())
    return `the database refused it: ${db.originalMessage.trim()}${db.originalCode ? ` (${db.originalCode})` : ''}`
  const lines = (typeof e.message === 'string' ? e.message : typeof err === 'string' ? err : '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  // Prisma puts where it happened first and what happened last.
  const line = /^Invalid `.*` invocation/.test(lines[0] ?? '') ? lines.at(-1) : lines[0]
  if (line) return line
  const code = typeof e.code === 'string' ? e.code : ''
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : ''
  return [name, code].filter(Boolean).join(' ') || `failed without a message (${String(err)})`
}
