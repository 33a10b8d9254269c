import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import queue from '@rlanz/bull-queue/services/main'
import OutboxEmail from '#models/outbox_email'
import { RpcClient } from '#rpc/client'
import amqp from 'amqplib'
import { UnrecoverableError, Worker } from 'bullmq'
import { RPC_QUEUE, RpcError } from '#rpc/protocol'
import SendOutboxEmail from '#jobs/send_outbox_email'
import OutboxSweeper from '#jobs/outbox_sweeper'
import { UserFactory } from '#database/factories/user_factory'
import { SmtpSink } from '#tests/integration/helpers/smtp_sink'
import { resetPipeline, startWorker } from '#tests/integration/helpers/worker'
import { validRegistration, waitUntil, route } from '#tests/helpers'
import ace from '@adonisjs/core/services/ace'
import WelcomeResend from '#commands/welcome_resend'
import UsersShow from '#commands/users_show'
import { EmailSenderMethods } from '#rpc/methods'
import outboxConfig from '#config/outbox'

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
    const response = await client.post(route('api.users.store')).json(validRegistration)
    response.assertStatus(201)

    await waitUntil(() => sink.to('ada@example.com').length === 1)
    const [message] = sink.to('ada@example.com')
    assert.equal(message.subject, 'Welcome to G-Social')
    assert.include(message.text, 'Welcome to G-Social, Ada!')
    assert.include(message.html as string, 'Welcome to G-Social, Ada!')

    const welcome = await OutboxEmail.findByOrFail('userId', response.body().id)
    await waitUntil(async () => (await welcome.refresh()).state === 'sent')
    assert.equal(welcome.attempts, 1)
    assert.equal(message.messageId, welcome.messageId)

    // Redelivery, a retried job and the sweep all find it sent.
    await SendOutboxEmail.dispatch({ ...welcome.serialize(), jobKey: 'again' } as any)
    await (await app.container.make(OutboxSweeper)).sweep(0)
    await new Promise((resolve) => setTimeout(resolve, 500))
    assert.lengthOf(sink.messages, 1)
  })

  test('the job run twice for one user sends one email', async ({ assert }) => {
    stopWorker = await startWorker({ jobs: false })
    const user = await UserFactory.create()
    const job = await app.container.make(SendOutboxEmail)
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    const payload = { userId: user.id, kind: 'welcome' as const, outboxId: welcome.id }

    // Two at once: one sends, the other is told to retry later.
    const runs = await Promise.allSettled([job.handle(payload), job.handle(payload)])
    const outcomes = runs.map((run) => (run.status === 'fulfilled' ? 'sent' : run.reason.code))
    assert.sameMembers(outcomes, ['sent', 'in_progress'])

    // The retry, later, finds it sent.
    await job.handle(payload)
    assert.lengthOf(sink.to(user.email), 1)
  })

  test('an SMTP server that refuses once still ends with one email', async ({ assert }) => {
    sink.refuseNext(1)
    stopWorker = await startWorker()
    const user = await UserFactory.create()

    await waitUntil(() => sink.to(user.email).length === 1, 15_000)
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    await waitUntil(async () => (await welcome.refresh()).state === 'sent')
    assert.equal(welcome.attempts, 2)
    // The retry reused the Message-ID chosen for the first try.
    assert.equal(sink.to(user.email)[0].messageId, welcome.messageId)
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.lengthOf(sink.to(user.email), 1)
  })

  test('a forced resend is a new message, and users:show lists every send', async ({ assert }) => {
    await ace.boot()
    ace.ui.switchMode('raw')
    stopWorker = await startWorker()
    const user = await UserFactory.create()
    await waitUntil(() => sink.to(user.email).length === 1)
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    await waitUntil(async () => (await welcome.refresh()).state === 'sent')

    const resend = await ace.create(WelcomeResend, [user.username, '--force'])
    await resend.exec()
    resend.assertSucceeded()
    await waitUntil(() => sink.to(user.email).length === 2)

    const [first, second] = sink.to(user.email)
    assert.notEqual(first.messageId, second.messageId)
    // The first send stays on record as it was.
    assert.equal((await welcome.refresh()).messageId, first.messageId)

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
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    const queued = queue.get()!
    await waitUntil(async () => Boolean(await queued.getJob(welcome.jobKey)))
    const job = await queued.getJob(welcome.jobKey)
    assert.containsSubset(job!.opts, {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    })

    await waitUntil(() => sink.to(user.email).length === 1, 20_000)
    const [first, second, third] = sink.arrivals
    // 1 s, then 2 s: each retry waits twice as long as the one before.
    assert.isAtLeast(second - first, 950)
    assert.isAtLeast(third - second, 1950)
    await waitUntil(async () => (await welcome.refresh()).state === 'sent')
    assert.equal(welcome.attempts, 3)
  }).timeout(30_000)

  test('after 8 failed sends the outbox row is failed, and the job stops retrying', async ({
    assert,
  }) => {
    const { maxSendAttempts } = outboxConfig
    assert.equal(maxSendAttempts, 8)
    sink.refuseNext(maxSendAttempts)
    const user = await UserFactory.create()
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    const params = { user_id: user.id, outbox_id: welcome.id }

    const methods = await app.container.make(EmailSenderMethods)
    for (let send = 1; send <= maxSendAttempts; send++) {
      await assert.rejects(() => methods.send('welcome', params), /Could not send/)
      await welcome.refresh()
      assert.equal(welcome.attempts, send)
      assert.equal(welcome.state, send < maxSendAttempts ? 'pending' : 'failed')
    }
    assert.lengthOf(sink.arrivals, maxSendAttempts)

    // The RPC now answers gave_up, which the job takes as final.
    stopWorker = await startWorker({ jobs: false })
    const job = await app.container.make(SendOutboxEmail)
    const error = await job
      .handle({ userId: user.id, kind: 'welcome', outboxId: welcome.id })
      .catch((caught) => caught)
    assert.instanceOf(error, UnrecoverableError)
    assert.match(error.message, /^gave_up/)
    assert.lengthOf(sink.arrivals, maxSendAttempts)
    assert.lengthOf(sink.messages, 0)
  })

  test('an email whose job never reached the queue is delivered by the sweep', async ({
    assert,
  }) => {
    // As if Redis had been down at commit: the email is owed, the job does not exist.
    const user = await UserFactory.create()
    await queue.get()!.obliterate({ force: true })
    await OutboxEmail.query()
      .where('userId', user.id)
      .update({ updatedAt: new Date(Date.now() - 60_000) })

    stopWorker = await startWorker()
    const sweeper = await app.container.make(OutboxSweeper)
    assert.equal(await sweeper.sweep(30), 1)
    await waitUntil(() => sink.to(user.email).length === 1)
  })

  test('the sweep replaces a finished job that left its email undelivered', async ({ assert }) => {
    // Redis says "done" under the email's key, yet the email is still owed.
    const user = await UserFactory.create()
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    const oldKey = welcome.jobKey
    await queue.get()!.obliterate({ force: true })
    await queue.get()!.add('Lost', {}, { jobId: welcome.jobKey })
    const finisher = new Worker('default', async () => {}, {
      connection: app.config.get<any>('queue').defaultConnection,
    })
    await waitUntil(async () => (await queue.get()!.getJobState(welcome.jobKey)) === 'completed')
    await finisher.close()
    await OutboxEmail.query()
      .where('id', welcome.id)
      .update({ updatedAt: new Date(Date.now() - 60_000) })

    stopWorker = await startWorker()
    const sweeper = await app.container.make(OutboxSweeper)
    assert.equal(await sweeper.sweep(30), 1)
    await waitUntil(() => sink.to(user.email).length === 1)
    assert.notEqual((await welcome.refresh()).jobKey, oldKey)
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
