import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { Job } from '@rlanz/bull-queue'
import type { Job as BullJob } from 'bullmq'
import { makeJob, QueuedJob } from '#jobs/bull_adapter'

class ProbeJob extends QueuedJob<{}> {
  static jobName = 'ProbeJob'
  async handle() {}
}

/**
 * What app/jobs/bull_adapter.ts relies on in @rlanz/bull-queue: if an
 * upgrade changes it, this fails before a worker silently does.
 */
test.group('bull-queue adapter', () => {
  test('jobs receive their BullMQ job and logger through $injectInternal', async ({ assert }) => {
    assert.isFunction(Job.prototype.$injectInternal)
    const bullJob = { id: 'probe-1', attemptsMade: 2 } as unknown as BullJob
    const job = await makeJob(app.container, ProbeJob, bullJob, logger)

    assert.isTrue(job instanceof Job)
    assert.strictEqual(job.getJob(), bullJob)
    assert.equal(job.getId(), 'probe-1')
    assert.equal(job.getAttempts(), 2)
    assert.strictEqual(job.logger, logger)
  })

  test('the queue manager hands out the "default" queue with the configured connection', async ({
    assert,
  }) => {
    const { default: manager } = await import('@rlanz/bull-queue/services/main')
    const queue = manager.getOrSet('default')
    assert.equal(queue.name, 'default')
    assert.strictEqual(manager.get('default'), queue)
    assert.properties(app.config.get<any>('queue'), ['defaultConnection', 'jobs'])
  })
})
