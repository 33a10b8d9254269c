import { QueuedJob } from '#jobs/bull_adapter'

export interface SweepPayload {
  /** The sweep's interval: work owed for longer than this has lost its job. */
  everySeconds: number
}

/**
 * A sweep for work owed (emails, fan-outs, notifications): a repeatable job
 * that the worker schedules (app/jobs/schedules.ts), so one pass runs per
 * interval however many workers there are. A pass that fails is logged by
 * the job worker and is not retried: the next run retries.
 */
export abstract class Sweep extends QueuedJob<SweepPayload> {
  static routine = true
  /** For the log line: which sweep, and what it queues again. */
  protected abstract what: { sweep: string; items: string }

  /** One pass; returns how much it queued again. */
  abstract sweep(everySeconds: number): Promise<number>

  async handle({ everySeconds }: SweepPayload) {
    const queued = await this.sweep(everySeconds)
    if (queued)
      this.logger.info(
        { count: queued },
        `${this.what.sweep} sweep queued ${this.what.items} again`
      )
  }
}
