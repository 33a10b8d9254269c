import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import { UserFactory } from '#database/factories/user_factory'
import { ChildService } from '#tests/integration/helpers/processes'
import { SmtpSink } from '#tests/integration/helpers/smtp_sink'
import { resetPipeline, startWorker } from '#tests/integration/helpers/worker'
import { truncateTables, validRegistration, waitUntil } from '#tests/helpers'

const SMTP_PORT = Number(process.env.SMTP_PORT)

/** `node ace worker` as a real process, with its own defaults. */
async function startWorkerProcess() {
  const worker = ChildService.start('worker', process.execPath, ['ace', 'worker'], {
    cwd: app.makePath(),
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info' },
  })
  await waitUntil(() => worker.output.includes('worker started') || !worker.running, 30_000)
  if (!worker.running) throw new Error(`the worker exited:\n${worker.output}`)
  return worker
}

test.group('Outbox delivery: the outbox wins over Redis and dead workers', (group) => {
  let sink: SmtpSink | undefined
  let stops: (() => Promise<unknown>)[] = []

  group.each.setup(async () => {
    await resetPipeline()
    return async () => {
      for (const stop of stops.reverse()) await stop()
      stops = []
      // Pooled SMTP connections would keep the sink from closing.
      await mail.closeAll()
      await sink?.stop()
    }
  })

  test('after a restore, a user with a reused id still gets the welcome email', async ({
    client,
    route,
    assert,
  }) => {
    sink = await new SmtpSink(SMTP_PORT).start()
    stops.push(await startWorker())
    const first = await client.post(route('api.users.store')).json(validRegistration)
    first.assertStatus(201)
    await waitUntil(() => sink!.to(validRegistration.email).length === 1)

    // A restore of an older backup: the tables start over and ids come back,
    // while Redis still holds the jobs it finished.
    await truncateTables()
    sink.messages = []
    const second = await client.post(route('api.users.store')).json(validRegistration)
    second.assertStatus(201)
    assert.equal(second.body().id, first.body().id)
    await waitUntil(() => sink!.to(validRegistration.email).length === 1, 10_000)
  }).timeout(30_000)

  test('a worker SIGKILLed mid-send: every email is out within 30 s of a live worker, each once', async ({
    assert,
  }) => {
    // Each message takes 2 s to be accepted, so the kill finds sends in flight.
    sink = await new SmtpSink(SMTP_PORT, { acceptAfterMs: 2000 }).start()
    const doomed = await startWorkerProcess()
    stops.push(() => doomed.stop())
    const users = await UserFactory.createMany(12)
    await waitUntil(async () => {
      const [{ total }] = await db
        .from('outbox_emails')
        .where('state', 'sending')
        .count('* as total')
      return Number(total) > 0
    }, 20_000)
    doomed.child.kill('SIGKILL')
    await doomed.stop()

    const worker = await startWorkerProcess()
    stops.push(() => worker.stop())
    const started = Date.now()
    await waitUntil(() => users.every((user) => sink!.to(user.email).length > 0), 30_000)
    console.log(
      `after SIGKILL: every email out ${Date.now() - started} ms after the new worker started`
    )

    // Nothing is sent twice later either: at most one duplicate, with the same Message-ID.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    for (const user of users) {
      const received = sink.to(user.email)
      assert.isAtMost(received.length, 2)
      assert.lengthOf(new Set(received.map((message) => message.messageId)), 1)
    }
  }).timeout(90_000)
})
