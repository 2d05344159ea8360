// CPU time of one thread of this process, read from Linux's /proc. The parse deadline counts
// the work a document costs, not the time its thread waited for a core: on a shared 2-core
// machine at load 15 a parse that needs 1 s of CPU can take 8 s of wall time.
import { readFileSync } from 'node:fs'

// Linux reports utime and stime in USER_HZ ticks, fixed at 100 by its ABI on every platform.
const TICKS_PER_SECOND = 100

/** The calling thread's id, for threadCpuMs from another thread; undefined off Linux. */
export function currentThreadId(): string | undefined {
  try {
    // /proc/thread-self stands for "PID/task/TID" of whichever thread reads it.
    return readFileSync('/proc/thread-self/stat', 'utf8').split(' ', 1)[0]
  } catch {
    return undefined
  }
}

/** CPU milliseconds (user + system) the thread has used, or undefined once it is gone. */
export function threadCpuMs(tid: string): number | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name, field 2, is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12]) // fields 14 and 15: utime, stime
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined
}
