// Vitest queues projects by name ('integration' before 'unit'), so the unit project's
// one long file — the topic model retrained from its labels, ~40 s of one core — used to
// start last and leave the run's final half-minute to itself. Unit files first: that file
// then trains while the integration files, which mostly wait on child processes,
// PostgreSQL and SMTP, share the cores. Within a project, Vitest's own order is kept.
import { BaseSequencer, type TestSpecification } from 'vitest/node'

export default class UnitFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const unit = sorted.filter((f) => f.project.name === 'unit')
    return [...unit, ...sorted.filter((f) => f.project.name !== 'unit')]
  }
}
