import { setTimeout as sleep } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { QueuedJob, dispatchJob, releaseStaleDeduplication } from '#jobs/bull_adapter'

/** A drain carries nothing: its outbox (rows in MySQL) is its work list. */
export type Drain = Record<string, never>

type DrainClass = (abstract new (...args: any[]) => DrainJob) & {
  jobName: string
  gatherMs: number
}
type Dispatching = DrainClass & { dispatch(): Promise<void> }

/**
 * A job that works through an outbox in batches (posts owed a fan-out,
 * likes owed a notification). One job stands for all the work owed: a
 * writer queues one only if none is queued (Bull's deduplication, keyed by
 * the job's name), so under load the writes share jobs instead of each
 * paying Bull's bookkeeping.
 *
 * `keepLastIfActive`: a writer asking while a drain runs (which may have
 * read the outbox before the write committed) gets one more drain, queued
 * by Bull as the running one finishes. The key lives exactly as long as
 * its job: Bull drops it when the job completes or fails. A ttl would
 * keep it past the job (Bull deletes only keys without one on
 * finalization), and every write in the ttl after a drain would wait for
 * the sweep. A drain whose worker died stays active until Bull's stall
 * check (config/queue.ts) puts it back in the queue; the writers asking
 * meanwhile get their drain after it.
 */
export abstract class DrainJob extends QueuedJob<Drain> {
  /**
   * How long a process waits after a write asks before it queues the drain,
   * gathering the writes that ask meanwhile (they share that one queueing,
   * and so the drain): fewer Bull jobs and larger batches, each item told
   * that much later.
   */
  static gatherMs = 0

  /** How many owed items a batch reads: a batch that reads fewer has emptied the outbox. */
  protected abstract batchSize: number

  /** Does one batch of the work owed, then marks it done; returns how many items it read. */
  abstract batch(): Promise<number>

  async handle() {
    let read: number
    do read = await this.batch()
    while (read === this.batchSize)
  }

  /** The work stays owed in its outbox: the worker's sweep queues a drain again. */
  async rescue(_payload: Drain, error: Error) {
    this.logger.error(
      { err: error },
      `${(this.constructor as DrainClass).jobName} gave up; the sweep will retry`
    )
  }

  /** Asks for a drain; a write that commits before this call is in it. */
  static async dispatch(this: DrainClass) {
    await dispatchJob(
      this,
      {},
      {
        deduplication: { id: this.jobName, keepLastIfActive: true },
        attempts: 8,
      }
    )
  }

  /**
   * For the sweep: asks for a drain when `owed` finds work left too long,
   * first freeing the deduplication from a job lost meanwhile. Returns
   * how many drains it queued.
   */
  static async dispatchIfOwed(this: Dispatching, owed: () => Promise<boolean>) {
    if (!(await owed())) return 0
    await releaseStaleDeduplication(this.jobName)
    await this.dispatch()
    return 1
  }

  /**
   * Asks for a drain without holding up the request that wrote the work:
   * the process waits `gatherMs`, then dispatches once for every write that
   * asked meanwhile (a drain reads everything committed before its dispatch
   * reached Redis), so a busy process queues a few drains a second, not one
   * per write. Writes that ask while that dispatch is in flight share the
   * next one, after the same wait. A process that shuts down dispatches
   * what waits at once (`flush`, before the queue closes); one that dies
   * in the wait, or a dispatch that fails (logged), leaves the work owed in
   * its outbox, and the worker's sweep queues a drain.
   */
  static ask(this: Dispatching) {
    let signal = signals.get(this)
    if (!signal) {
      // Before the providers close the queue: app.terminating hooks run first.
      if (!signals.size) app.terminating(() => DrainJob.flush())
      signals.set(this, (signal = new DrainSignal(this)))
    }
    return signal.notify()
  }

  /** Resolves once every drain this process was asked for is dispatched (tests wait for it). */
  static async settled() {
    await Promise.all([...signals.values()].map((signal) => signal.settled()))
  }

  /** Dispatches the drains that wait to gather now, and resolves once they are sent. */
  static async flush() {
    for (const signal of signals.values()) signal.wake()
    await DrainJob.settled()
  }
}

const signals = new Map<DrainClass, DrainSignal>()

/** One per process and drain: coalesces that process's requests for it. */
class DrainSignal {
  #sending: Promise<void> | null = null
  #again = false
  /** Ends the current wait early (flush). */
  #waking: AbortController | null = null

  constructor(private drain: Dispatching) {}

  settled() {
    return this.#sending ?? Promise.resolve()
  }

  wake() {
    this.#waking?.abort()
  }

  /** Resolves once a dispatch sent after this call has returned. */
  notify() {
    if (this.#sending) {
      this.#again = true
      return this.#sending
    }
    this.#sending = this.#send()
    return this.#sending
  }

  async #send() {
    try {
      do {
        if (this.drain.gatherMs) await this.#gather()
        // Every ask until here is covered by the dispatch below.
        this.#again = false
        await this.drain.dispatch().catch((error) => {
          logger.warn({ err: error }, `${this.drain.jobName} not queued; the sweep will queue one`)
        })
      } while (this.#again)
    } finally {
      // In the same step as the last check of #again: a notify() after it sends anew.
      this.#sending = null
    }
  }

  async #gather() {
    this.#waking = new AbortController()
    try {
      await sleep(this.drain.gatherMs, undefined, { signal: this.#waking.signal })
    } catch {
      // Woken by flush: dispatch now.
    } finally {
      this.#waking = null
    }
  }
}
