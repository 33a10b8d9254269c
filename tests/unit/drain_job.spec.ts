import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import { DrainJob } from '#jobs/drain_job'

/** A drain whose dispatch is counted, and held open while a test says so. */
class CountedDrain extends DrainJob {
  static jobName = 'CountedDrain'
  static gatherMs = 40
  static sent = 0
  static failing = false
  static held: Promise<void> | null = null

  static async dispatch() {
    CountedDrain.sent++
    await CountedDrain.held
    if (CountedDrain.failing) throw new Error('Redis is away')
  }

  protected batchSize = 1
  async batch() {
    return 0
  }
}

test.group('DrainJob.ask', (group) => {
  group.each.setup(() => {
    CountedDrain.sent = 0
    CountedDrain.failing = false
    CountedDrain.held = null
  })

  test('the writes that ask within the wait share one dispatch, sent after it', async ({
    assert,
  }) => {
    const asked = [CountedDrain.ask(), CountedDrain.ask()]
    await sleep(CountedDrain.gatherMs / 4)
    asked.push(CountedDrain.ask())
    assert.equal(CountedDrain.sent, 0, 'nothing is queued before the wait is over')
    await Promise.all(asked)
    assert.equal(CountedDrain.sent, 1)

    await CountedDrain.ask()
    assert.equal(CountedDrain.sent, 2, 'an ask after that dispatch returned gets its own')
  })

  test('a write that asks while the dispatch is in flight gets the next one', async ({
    assert,
  }) => {
    let release!: () => void
    CountedDrain.held = new Promise((resolve) => (release = resolve))
    try {
      const first = CountedDrain.ask()
      await sleep(CountedDrain.gatherMs * 2)
      assert.equal(CountedDrain.sent, 1, 'the first dispatch is in flight')

      // Its write may have committed after that dispatch reached Redis.
      const second = CountedDrain.ask()
      CountedDrain.held = null
      release()
      await Promise.all([first, second])
      assert.equal(CountedDrain.sent, 2)
    } finally {
      // A failed assertion must not leave the drain pending for DrainJob.settled().
      release()
    }
  })

  test('on shutdown the drains that wait to gather are dispatched at once', async ({ assert }) => {
    const gatherMs = CountedDrain.gatherMs
    CountedDrain.gatherMs = 60_000
    try {
      const asked = CountedDrain.ask()
      await sleep(10)
      assert.equal(CountedDrain.sent, 0)
      await DrainJob.flush()
      assert.equal(CountedDrain.sent, 1)
      await asked
    } finally {
      CountedDrain.gatherMs = gatherMs
    }
  }).timeout(5_000)

  test('a dispatch that fails still answers the write (the sweep queues a drain)', async ({
    assert,
  }) => {
    CountedDrain.failing = true
    await CountedDrain.ask()
    assert.equal(CountedDrain.sent, 1)
  })
})
