// Per phase of the benchmark: peak RSS (sampled every 50 ms) and the CPU time this
// process spent, plus the kernel's high-water mark (maxRSS) for the whole process, which
// no sampling gap can miss. CPU per phase shows where a slower rate comes from: a busy
// process, or one waiting on the database and the network.
import { getHeapStatistics } from 'node:v8'

/**
 * The V8 heap limit this process runs with, in MB: the npm scripts set it (PAPERBOY_HEAP_MB,
 * default 256) and peak RSS depends on it, so every report states it.
 */
export function heapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024)
}

export class PhaseMeter {
  private peaks = new Map<string, number>()
  private heaps = new Map<string, number>()
  private cpu = new Map<string, number>()
  private phase = 'start'
  private cpuAt = process.cpuUsage()
  private readonly timer: NodeJS.Timeout

  constructor() {
    this.timer = setInterval(() => this.sample(), 50)
    this.timer.unref()
  }

  enter(phase: string): void {
    this.sample()
    const used = process.cpuUsage(this.cpuAt)
    this.cpu.set(this.phase, (this.cpu.get(this.phase) ?? 0) + (used.user + used.system) / 1e6)
    this.cpuAt = process.cpuUsage()
    this.phase = phase
    this.sample()
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage()
    this.peaks.set(this.phase, Math.max(this.peaks.get(this.phase) ?? 0, rss))
    this.heaps.set(this.phase, Math.max(this.heaps.get(this.phase) ?? 0, heapUsed))
  }

  /** Peak RSS per phase, in MB. */
  rssByPhase(): Record<string, number> {
    this.sample()
    return Object.fromEntries([...this.peaks].map(([k, v]) => [k, Math.round(v / 1024 / 1024)]))
  }

  /** Peak V8 heap in use per phase, in MB (RSS minus this is code, buffers and heap slack). */
  heapByPhase(): Record<string, number> {
    return Object.fromEntries([...this.heaps].map(([k, v]) => [k, Math.round(v / 1024 / 1024)]))
  }

  /** CPU seconds (user + system) per finished phase. */
  cpuByPhase(): Record<string, number> {
    return Object.fromEntries([...this.cpu].map(([k, v]) => [k, Math.round(v * 100) / 100]))
  }

  /** The process's peak RSS so far, in MB (getrusage). */
  peak(): number {
    return Math.round(process.resourceUsage().maxRSS / 1024)
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
