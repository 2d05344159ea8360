// Plan: for every reader due on a date, choose the papers of their email and write one
// Delivery row (unique per reader and date) with its items, in bulk. Who is due, which days
// a weekly email covers and which papers a reader gets are pure functions (schedule.ts,
// choose-papers.ts, plan-readers.ts); plan-digest.ts does the I/O around them, once per
// date, under a lock, so planning twice or from two processes changes nothing.
export type { PlannedItem, ReaderChoice, ReaderPlan } from './choose-papers'
export { choosePapers, planReader, SKIP } from './choose-papers'
export type { PlanDay } from './plan-day'
export { loadPlanDay, PlanError, toMatchable } from './plan-day'
export type { PlanDaySource, PlanDeps, PlanOptions, PlanReport } from './plan-digest'
export { planDigest } from './plan-digest'
export type { PlanReaderInput, PlanStats } from './plan-readers'
export { planReaders, trendingFor } from './plan-readers'
export { type MemoryWriter, memoryWriter, type PlanWriter, storingWriter } from './plan-writer'
export type { Frequency, Schedule } from './schedule'
export { addDays, isDue, mailWeekdayOf, WEEK_DAYS, weekdayOf, windowDates } from './schedule'
export { mailDayOf, readerSendAt, sendAtFor } from './send-at'
