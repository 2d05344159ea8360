// Metrics: the operator's numbers, read from the database in a few grouped queries. The
// list's history comes from its change log (SubscriberEvent, written by the journey),
// finished days of deliveries from a per-day summary (DeliveryDayStats); the page, the
// JSON endpoint and the Prometheus endpoint all read one `Metrics` object.
export type { DeliveryDay } from './delivery-days'
export { MAX_DAYS, type Metrics, MetricsQuery, readMetrics } from './metrics'
export { type Counters, prometheusText, readCounters } from './prometheus'
export type { RunSummary } from './run-phases'
export { LIST_STATUSES, type ListDay, type StatusCounts } from './status-history'
