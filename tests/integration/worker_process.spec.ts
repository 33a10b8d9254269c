import { test } from '@japa/runner'
import { once } from 'node:events'
import app from '@adonisjs/core/services/app'
import { RpcClient } from '#rpc/client'
import { waitUntil } from '#tests/helpers'
import { startWorkerProcess } from '#tests/integration/helpers/worker'

test.group('node ace worker (process)', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`serves RPC, then stops cleanly on ${signal}`, async ({ assert }) => {
      const worker = startWorkerProcess()
      try {
        await waitUntil(() => worker.output().includes('worker started'), 20_000)
        const rpc = await app.container.make(RpcClient)
        await waitUntil(
          async () => (await rpc.call('ping', {}, 1000).catch(() => null))?.ok === true
        )

        worker.child.kill(signal)
        const [code] = await once(worker.child, 'exit')
        assert.equal(code, 0)
        assert.include(worker.output(), 'worker stopped')
      } finally {
        worker.child.kill('SIGKILL')
      }
    }).timeout(40_000)
  }

  test('refuses an unknown part with a message and exit code 1', async ({ assert }) => {
    const worker = startWorkerProcess(['--only=emails'])
    const [code] = await once(worker.child, 'exit')
    assert.equal(code, 1)
    assert.include(worker.output(), 'Unknown part "emails"')
  }).timeout(30_000)
})
