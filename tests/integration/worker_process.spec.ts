import { test } from '@japa/runner'
import { once } from 'node:events'
import app from '@adonisjs/core/services/app'
import { RpcClient } from '#rpc/client'
import { waitUntil } from '#tests/helpers'
import mail from '@adonisjs/mail/services/main'
import OutboxEmail from '#models/outbox_email'
import { UserFactory } from '#database/factories/user_factory'
import { SmtpSink } from '#tests/integration/helpers/smtp_sink'
import { resetPipeline, startWorkerProcess } from '#tests/integration/helpers/worker'

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

  test('on SIGTERM it finishes the email in flight before it exits', async ({ assert }) => {
    await resetPipeline()
    const sink = await new SmtpSink(Number(process.env.SMTP_PORT), { acceptAfterMs: 2000 }).start()
    const worker = startWorkerProcess()
    try {
      const user = await UserFactory.create()
      // The SMTP server has the message and has not answered: a send in flight.
      await waitUntil(() => sink.receiving === 1, 20_000)
      worker.child.kill('SIGTERM')

      const [code] = await once(worker.child, 'exit')
      assert.equal(code, 0, worker.output())
      assert.lengthOf(sink.to(user.email), 1)
      const welcome = await OutboxEmail.findByOrFail('userId', user.id)
      assert.equal(welcome.state, 'sent')
      // The job completed before the worker said it had stopped.
      const output = worker.output()
      assert.isAbove(output.indexOf('worker stopped'), output.indexOf('job completed'))
      assert.isAbove(output.indexOf('job completed'), output.indexOf('worker stopping'))
    } finally {
      worker.child.kill('SIGKILL')
      await mail.closeAll()
      await sink.stop()
    }
  }).timeout(40_000)

  test('refuses an unknown part with a message and exit code 1', async ({ assert }) => {
    const worker = startWorkerProcess(['--only=emails'])
    const [code] = await once(worker.child, 'exit')
    assert.equal(code, 1)
    assert.include(worker.output(), 'Unknown part "emails"')
  }).timeout(30_000)
})
