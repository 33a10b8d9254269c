import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import queue from '@rlanz/bull-queue/services/main'
import WelcomeEmail from '#models/welcome_email'
import { RpcClient } from '#rpc/client'
import amqp from 'amqplib'
import { RPC_QUEUE, RpcError } from '#rpc/protocol'
import { WelcomeOutbox } from '#services/welcome_outbox'
import SendWelcomeEmail from '#jobs/send_welcome_email'
import { OutboxSweeper } from '#services/outbox_sweeper'
import logger from '@adonisjs/core/services/logger'
import { UserFactory } from '#database/factories/user_factory'
import { SmtpSink } from '#tests/integration/helpers/smtp_sink'
import { resetPipeline, startWorker } from '#tests/integration/helpers/worker'
import { validRegistration, waitUntil } from '#tests/helpers'
import ace from '@adonisjs/core/services/ace'
import WelcomeResend from '#commands/welcome_resend'
import UsersShow from '#commands/users_show'
import { UnrecoverableError } from 'bullmq'
import { methods } from '#rpc/methods'
import { defaultQueue } from '#services/job_queue'
import welcomeConfig from '#config/welcome'

const SMTP_PORT = Number(process.env.SMTP_PORT)

test.group('Welcome pipeline (Redis, RabbitMQ, SMTP)', (group) => {
  let sink: SmtpSink
  let stopWorker: (() => Promise<void>) | undefined

  group.each.setup(async () => {
    await resetPipeline()
    sink = await new SmtpSink(SMTP_PORT).start()
    return async () => {
      await stopWorker?.()
      stopWorker = undefined
      // Pooled SMTP connections would keep the sink from closing.
      await mail.closeAll()
      await sink.stop()
    }
  })

  test('registering through the API delivers exactly one welcome email', async ({
    client,
    assert,
  }) => {
    stopWorker = await startWorker()
    const response = await client.post('/api/users').json(validRegistration)
    response.assertStatus(201)

    await waitUntil(() => sink.to('ada@example.com').length === 1)
    const [message] = sink.to('ada@example.com')
    assert.equal(message.subject, 'Welcome to G-Social')
    assert.include(message.text, 'ada')
    assert.include(message.html as string, '<strong>ada</strong>')

    const intent = await WelcomeEmail.findByOrFail('userId', response.body().id)
    await waitUntil(async () => (await intent.refresh()).state === 'sent')
    assert.equal(intent.attempts, 1)
    assert.equal(message.messageId, intent.messageId)

    // Redelivery, a retried job and the sweep all find it sent.
    await WelcomeOutbox.dispatch(response.body().id, { force: true })
    await new OutboxSweeper({ everySeconds: 0, logger }).sweep()
    await new Promise((resolve) => setTimeout(resolve, 500))
    assert.lengthOf(sink.messages, 1)
  })

  test('the job run twice for one user sends one email', async ({ assert }) => {
    stopWorker = await startWorker({ jobs: false })
    const user = await UserFactory.create()
    const job = await app.container.make(SendWelcomeEmail)

    // Two at once: one sends, the other is told to retry later.
    const runs = await Promise.allSettled([
      job.handle({ userId: user.id }),
      job.handle({ userId: user.id }),
    ])
    const outcomes = runs.map((run) => (run.status === 'fulfilled' ? 'sent' : run.reason.code))
    assert.sameMembers(outcomes, ['sent', 'in_progress'])

    // The retry, later, finds it sent.
    await job.handle({ userId: user.id })
    assert.lengthOf(sink.to(user.email), 1)
  })

  test('an SMTP server that refuses once still ends with one email', async ({ assert }) => {
    sink.refuseNext(1)
    stopWorker = await startWorker()
    const user = await UserFactory.create()

    await waitUntil(() => sink.to(user.email).length === 1, 15_000)
    const intent = await WelcomeEmail.findByOrFail('userId', user.id)
    await waitUntil(async () => (await intent.refresh()).state === 'sent')
    assert.equal(intent.attempts, 2)
    // The retry reused the Message-ID chosen for the first try.
    assert.equal(sink.to(user.email)[0].messageId, intent.messageId)
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.lengthOf(sink.to(user.email), 1)
  })

  test('a forced resend is a new message, and users:show lists every send', async ({ assert }) => {
    await ace.boot()
    ace.ui.switchMode('raw')
    stopWorker = await startWorker()
    const user = await UserFactory.create()
    await waitUntil(() => sink.to(user.email).length === 1)
    const intent = await WelcomeEmail.findByOrFail('userId', user.id)
    await waitUntil(async () => (await intent.refresh()).state === 'sent')

    const resend = await ace.create(WelcomeResend, [user.username, '--force'])
    await resend.exec()
    resend.assertSucceeded()
    await waitUntil(() => sink.to(user.email).length === 2)
    await waitUntil(async () => (await intent.refresh()).state === 'sent')

    const [first, second] = sink.to(user.email)
    assert.notEqual(first.messageId, second.messageId)
    assert.equal(intent.messageId, second.messageId)

    ace.ui.logger.flushLogs()
    const show = await ace.create(UsersShow, [String(user.id), '--json'])
    await show.exec()
    const logs = show.logger.getLogs() as { message: string }[]
    ace.ui.switchMode('normal')
    const shown = JSON.parse(logs.at(-1)!.message)
    assert.deepEqual(
      shown.welcome_email.sends.map((send: { message_id: string }) => send.message_id),
      [first.messageId, second.messageId]
    )
  })

  test('a failing send is retried by the job with exponential backoff', async ({ assert }) => {
    sink.refuseNext(2)
    stopWorker = await startWorker()
    const user = await UserFactory.create()
    const queued = await defaultQueue()
    await waitUntil(async () => Boolean(await queued.getJob(`welcome-${user.id}`)))
    const job = await queued.getJob(`welcome-${user.id}`)
    assert.containsSubset(job!.opts, {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    })

    await waitUntil(() => sink.to(user.email).length === 1, 20_000)
    const [first, second, third] = sink.arrivals
    // 1 s, then 2 s: each retry waits twice as long as the one before.
    assert.isAtLeast(second - first, 950)
    assert.isAtLeast(third - second, 1950)
    const intent = await WelcomeEmail.findByOrFail('userId', user.id)
    await waitUntil(async () => (await intent.refresh()).state === 'sent')
    assert.equal(intent.attempts, 3)
  }).timeout(30_000)

  test('after 8 failed sends the outbox row is failed, and the job stops retrying', async ({
    assert,
  }) => {
    const { maxSendAttempts } = welcomeConfig
    assert.equal(maxSendAttempts, 8)
    sink.refuseNext(maxSendAttempts)
    const user = await UserFactory.create()
    const intent = await WelcomeEmail.findByOrFail('userId', user.id)

    for (let send = 1; send <= maxSendAttempts; send++) {
      await assert.rejects(() => methods.registration({ user_id: user.id }), /Could not send/)
      await intent.refresh()
      assert.equal(intent.attempts, send)
      assert.equal(intent.state, send < maxSendAttempts ? 'pending' : 'failed')
    }
    assert.lengthOf(sink.arrivals, maxSendAttempts)

    // The RPC now answers gave_up, which the job takes as final.
    stopWorker = await startWorker({ jobs: false })
    const job = await app.container.make(SendWelcomeEmail)
    const error = await job.handle({ userId: user.id }).catch((caught) => caught)
    assert.instanceOf(error, UnrecoverableError)
    assert.match(error.message, /^gave_up/)
    assert.lengthOf(sink.arrivals, maxSendAttempts)
    assert.lengthOf(sink.messages, 0)
  })

  test('an intent whose job never reached the queue is delivered by the sweep', async ({
    assert,
  }) => {
    // As if Redis had been down at commit: the intent exists, the job does not.
    const user = await UserFactory.create()
    await queue.get()!.obliterate({ force: true })
    await WelcomeEmail.query()
      .where('userId', user.id)
      .update({ updatedAt: new Date(Date.now() - 60_000) })

    stopWorker = await startWorker()
    assert.equal(await new OutboxSweeper({ everySeconds: 30, logger }).sweep(), 1)
    await waitUntil(() => sink.to(user.email).length === 1)
  })

  test('ping answers pong', async ({ assert }) => {
    stopWorker = await startWorker({ jobs: false })
    const rpc = await app.container.make(RpcClient)
    assert.deepEqual(await rpc.call('ping'), { ok: true, result: 'pong' })
  })

  test('registration for an unknown user is an error reply', async ({ assert }) => {
    stopWorker = await startWorker({ jobs: false })
    const rpc = await app.container.make(RpcClient)
    const reply = await rpc.call('registration', { user_id: 999999 })
    assert.deepEqual(reply, {
      ok: false,
      error: { code: 'unknown_user', message: 'There is no user 999999' },
    })
  })

  test('bad requests get error replies and are not requeued', async ({ assert }) => {
    stopWorker = await startWorker({ jobs: false })
    const rpc = await app.container.make(RpcClient)
    assert.equal(((await rpc.call('launch_rockets')) as any).error.code, 'unknown_method')
    assert.equal(
      ((await rpc.call('registration', { user_id: 'seven' })) as any).error.code,
      'invalid_params'
    )
  })

  test('a call with no server running times out with a clear error', async ({ assert }) => {
    const rpc = await app.container.make(RpcClient)
    const error = await rpc.call('ping', {}, 300).catch((e) => e)
    assert.instanceOf(error, RpcError)
    assert.equal(error.code, 'timeout')
    assert.match(error.message, /node ace worker/)
  })
})

test.group('RPC server / malformed requests', (group) => {
  let stopWorker: () => Promise<void>
  group.each.setup(async () => {
    await resetPipeline()
    stopWorker = await startWorker({ jobs: false })
    return () => stopWorker()
  })

  test('a body that is not JSON gets an error reply and leaves the queue', async ({ assert }) => {
    const connection = await amqp.connect(app.config.get('rabbitmq.url'))
    const channel = await connection.createChannel()
    const reply = new Promise<any>((resolve) => {
      void channel.consume(
        'amq.rabbitmq.reply-to',
        (message) => resolve(JSON.parse(message!.content.toString())),
        { noAck: true }
      )
    })
    channel.sendToQueue(RPC_QUEUE, Buffer.from('{not json'), {
      replyTo: 'amq.rabbitmq.reply-to',
      correlationId: 'malformed-1',
    })

    assert.deepEqual(await reply, {
      ok: false,
      error: { code: 'bad_request', message: 'The request is not valid JSON' },
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const { messageCount } = await channel.checkQueue(RPC_QUEUE)
    assert.equal(messageCount, 0)
    await connection.close()
  })
})
