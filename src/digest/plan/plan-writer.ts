// Where a plan goes. The daily run stores it: Delivery rows and the DigestRun's phase and
// counts (digest-run.ts owns those). The dry run and the previews keep it in memory and
// write nothing. Both go through the one planner (plan-digest.ts), so what a dry run or a
// preview shows is what the run would have written.

import { markPlanned, markPlanning, markPlanningFailed } from '../../db/digest-runs'
import type { Db, Prisma } from '../../db/prisma'
import type { ReaderPlan } from './choose-papers'
import { type WriteCounts, writePlans } from './write-plan'

export interface PlanWriter {
  readonly stores: boolean
  /** Before any reader is planned; `modelVersion`: the topic model planning with. */
  begin(date: string, modelVersion: string): Promise<void>
  /** Each call commits on its own (one statement per chunk): a kill keeps what was written. */
  write(db: Db | Prisma.TransactionClient, date: string, plans: ReaderPlan[]): Promise<WriteCounts>
  /** After the plan committed: the date's totals as recorded (null: nothing recorded). */
  finish(date: string, created: WriteCounts): Promise<unknown>
  fail(date: string, reason: string): Promise<void>
}

/** A large plan changes the tables' shape at once: fresh statistics keep the workers' claims on the indexes. */
const ANALYZE_AFTER = 10_000

export function storingWriter(prisma: Db): PlanWriter {
  return {
    stores: true,
    begin: (date, modelVersion) => markPlanning(prisma, date, modelVersion),
    write: (tx, date, plans) => writePlans(tx, date, plans),
    async finish(date, created) {
      if (created.planned + created.skipped >= ANALYZE_AFTER)
        await prisma.$executeRawUnsafe('ANALYZE "Delivery", "DeliveryReason"')
      return markPlanned(prisma, date)
    },
    fail: (date, reason) => markPlanningFailed(prisma, date, reason),
  }
}

export type MemoryWriter = PlanWriter & { readonly plans: ReaderPlan[] }

/** Keeps every plan (dry run, previews); stores nothing. */
export function memoryWriter(): MemoryWriter {
  const plans: ReaderPlan[] = []
  return {
    stores: false,
    plans,
    begin: async () => {},
    async write(_tx, _date, page) {
      plans.push(...page)
      const skipped = page.filter((p) => p.status === 'skipped').length
      return { planned: page.length - skipped, skipped }
    },
    finish: async () => null,
    fail: async () => {},
  }
}
