import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ace from '@adonisjs/core/services/ace'
import User from '#models/user'
import OutboxEmail from '#models/outbox_email'
import UsersList from '#commands/users_list'
import UsersShow from '#commands/users_show'
import UsersCreate from '#commands/users_create'
import WelcomeResend from '#commands/welcome_resend'
import EmailsResend from '#commands/emails_resend'
import QueueStatus from '#commands/queue_status'
import QueueRetryFailed from '#commands/queue_retry_failed'
import RpcCall from '#commands/rpc_call'
import FeedsRebuild from '#commands/feeds_rebuild'
import { defaultQueue } from '#jobs/bull_adapter'
import { UserFactory } from '#database/factories/user_factory'
import { resetPipeline, startWorker } from '#tests/integration/helpers/worker'
import { waitUntil } from '#tests/helpers'
import { runCommand as run } from '#tests/integration/helpers/commands'
import { befriend, insertPosts, insertUsers } from '#tests/feed_graph'
import { HomeFeed } from '#services/posts/home_feed'
import { TimelineStore } from '#services/posts/timeline_store'

/** Runs `node ace …` as a real process with extra environment. */
async function runProcess(argv: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['ace', ...argv], {
    cwd: app.makePath(),
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const [code] = await once(child, 'exit')
  return { code, output }
}

test.group('Admin commands', (group) => {
  group.setup(async () => {
    await ace.boot()
  })
  group.each.setup(async () => {
    await resetPipeline()
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('users:list prints a table, filters and pages', async ({ assert }) => {
    // Every field fixed: the search looks in emails and names too.
    await UserFactory.merge([
      { username: 'ada_l', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      { username: 'grace_h', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
      { username: 'alan_t', email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing' },
    ]).createMany(3)

    const { command, output } = await run(UsersList, ['--search=a_l', '--limit=1'])
    command.assertSucceeded()
    assert.include(output, 'ada_l')
    assert.notInclude(output, 'grace_h')
    assert.include(output, 'Page 1 of 1')

    const page2 = await run(UsersList, ['--limit=2', '--page=2'])
    assert.include(page2.output, 'alan_t')
    assert.notInclude(page2.output, 'ada_l')
  })

  test('users:list past the last page says so, with the total', async ({ assert }) => {
    await UserFactory.merge([
      { username: 'ada_l', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      { username: 'grace_h', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
    ]).createMany(2)

    const searched = await run(UsersList, ['--search=ada', '--limit=10', '--page=2'])
    searched.command.assertSucceeded()
    assert.include(searched.output, 'Page 2 is past the end: 1 user matches "ada" (1 page of 10)')
    assert.notInclude(searched.output, 'No user matches')

    const all = await run(UsersList, ['--page=3', '--limit=1'])
    assert.include(all.output, 'Page 3 is past the end: there are 2 users (2 pages of 1)')

    const nobody = await run(UsersList, ['--search=nobody'])
    assert.include(nobody.output, 'No user matches "nobody"')
  })

  test('users:list --json is parseable for scripts', async ({ assert }) => {
    const user = await UserFactory.create()
    const { command, output } = await run(UsersList, ['--json'])
    command.assertSucceeded()
    const data = JSON.parse(output)
    assert.containsSubset(data, { total: 1, per_page: 25, page: 1, last_page: 1 })
    assert.containsSubset(data.users[0], {
      id: user.id,
      username: user.username,
      email: user.email,
      welcome_email: 'pending',
    })
  })

  test("node ace list offers worker, not the queue package's queue:listen", async ({ assert }) => {
    const { code, output } = await runProcess(['list'], {})
    assert.equal(code, 0, output)
    assert.match(output, /^\s+worker\s/m)
    assert.match(output, /^\s+make:job\s/m)
    assert.notInclude(output, 'queue:listen')
  })

  test('users:list refuses a bad --limit, and names every bad flag at once', async () => {
    const { command } = await run(UsersList, ['--limit=0'])
    command.assertFailed()
    command.assertLog('[ red(error) ] --limit must be a whole number from 1 to 500', 'stderr')

    const both = await run(UsersList, ['--limit=0', '--page=-1'])
    both.command.assertFailed()
    both.command.assertLog(
      '[ red(error) ] --limit must be a whole number from 1 to 500; ' +
        '--page must be a whole number of at least 1',
      'stderr'
    )

    const huge = await run(UsersList, ['--page=99999999999999999999'])
    huge.command.assertFailed()
    huge.command.assertLog(
      '[ red(error) ] --page must be a whole number from 1 to 9007199254740991',
      'stderr'
    )

    const twice = await run(UsersList, ['--search=ada', '--search=bob', '--limit=5', '--limit=6'])
    twice.command.assertFailed()
    twice.command.assertLog(
      '[ red(error) ] Give --search, --limit once: each was given more than once',
      'stderr'
    )
  })

  test('feeds:rebuild refuses a bad --warm before it drops anything', async ({ assert }) => {
    const redis = (await import('@adonisjs/redis/services/main')).default
    await redis.set('feed:left_alone_by_a_refused_rebuild', '1')
    for (const [warm, bounds] of [
      ['-5', 'of at least 0'],
      ['1.5', 'of at least 0'],
      ['99999999999999999999', 'from 0 to 9007199254740991'],
    ]) {
      const { command } = await run(FeedsRebuild, [`--warm=${warm}`])
      command.assertFailed()
      command.assertLog(`[ red(error) ] --warm must be a whole number ${bounds}`, 'stderr')
    }
    assert.equal(await redis.get('feed:left_alone_by_a_refused_rebuild'), '1')
    await redis.del('feed:left_alone_by_a_refused_rebuild')
  })

  test('feeds:rebuild rebuilds the latest authors now and leaves the rest to their next read', async ({
    assert,
  }) => {
    const [quiet, ada, bea] = await insertUsers(3, 'rebuilt')
    await befriend([[ada, bea]])
    // quiet posted first, then ada, then bea: the two most recent authors are warmed.
    const [quietPost, adaPost, beaPost] = await insertPosts([quiet, ada, bea])
    const timelines = new TimelineStore()
    await (await app.container.make(HomeFeed)).rebuild(quiet)

    const everyone = await run(FeedsRebuild, ['--warm=2'])
    everyone.command.assertSucceeded()
    assert.include(everyone.output, 'rebuilt 2 timelines, the rest rebuild on their next read')
    assert.isNull(await timelines.state(quiet), 'dropped, and left to its next read')
    for (const user of [ada, bea]) {
      assert.deepEqual((await timelines.read(user, undefined, 10)).ids, [beaPost, adaPost])
    }

    const one = await run(FeedsRebuild, ['rebuilt_0'])
    one.command.assertSucceeded()
    assert.include(one.output, 'Rebuilt the home timeline of rebuilt_0')
    assert.deepEqual((await timelines.read(quiet, undefined, 10)).ids, [quietPost])
  })

  test('feeds:rebuild stops starting rebuilds at the first failure, and says why in one line', async ({
    assert,
  }) => {
    const authors = await insertUsers(10, 'unrebuilt')
    await insertPosts(authors)
    const started: number[] = []
    const feed = await app.container.make(HomeFeed)
    // The first rebuild finds MySQL gone; the three begun beside it finish theirs.
    app.container.swap(HomeFeed, () =>
      Object.assign(Object.create(feed), {
        async rebuild(userId: number) {
          const nth = started.push(userId)
          await new Promise((resolve) => setTimeout(resolve, 20))
          if (nth === 1) {
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
              code: 'ECONNREFUSED',
            })
          }
        },
      })
    )
    try {
      const { command } = await run(FeedsRebuild, ['--warm=10'])
      command.assertFailed()
      command.assertLog(
        '[ red(error) ] A service is unreachable: connect ECONNREFUSED 127.0.0.1:3306. Is MySQL running (see .env)?',
        'stderr'
      )
      assert.lengthOf(started, 4, 'the four begun together, none after the failure')
    } finally {
      app.container.restore(HomeFeed)
    }
  })

  test('--help shows the help and exits 0, also for commands with a required flag', async ({
    assert,
  }) => {
    for (const name of ['users:suspend', 'reports:resolve', 'emails:resend']) {
      const { code, output } = await runProcess([name, '--help'], {})
      assert.equal(code, 0, output)
      assert.include(output, 'Required')
      assert.notInclude(output, 'ERROR')
    }
  })

  test('users:show finds by id or username, with the welcome email', async ({ assert }) => {
    const user = await UserFactory.create()
    for (const reference of [String(user.id), user.username.toUpperCase()]) {
      const { command, output } = await run(UsersShow, [reference, '--json'])
      command.assertSucceeded()
      const data = JSON.parse(output)
      assert.equal(data.email, user.email)
      assert.equal(data.profile_data.owner, user.id)
      assert.equal(data.welcome_email.state, 'pending')
    }
  })

  test('a username of digits alone: the command asks which one is meant', async ({ assert }) => {
    const first = await UserFactory.create()
    const digits = await UserFactory.merge({ username: `00${first.id}` }).create()
    const both = await run(UsersShow, [digits.username])
    both.command.assertFailed()
    both.command.assertLog(
      `[ red(error) ] "${digits.username}" names more than one user: ${first.id} (${first.username}), ` +
        `${digits.id} (${digits.username}); write #<id> for the one you mean`,
      'stderr'
    )
    // An older account named with "@" (the rule refuses it now) beside the name without it.
    const plain = await UserFactory.merge({ username: 'legacy_name' }).create()
    const older = await UserFactory.merge({ username: '@legacy_name' }).create()
    const either = await run(UsersShow, ['@legacy_name'])
    either.command.assertFailed()
    either.command.assertLog(
      `[ red(error) ] "@legacy_name" names more than one user: ${older.id} (@legacy_name), ` +
        `${plain.id} (legacy_name); write #<id> for the one you mean`,
      'stderr'
    )
    for (const [reference, user] of [
      [`#${first.id}`, first],
      [`@${digits.username}`, digits],
      [String(digits.id), digits],
    ] as const) {
      const { command, output } = await run(UsersShow, [reference, '--json'])
      command.assertSucceeded()
      assert.equal(JSON.parse(output).id, user.id, reference)
    }
  })

  test('users:show lists every email of the user of every kind', async ({ assert }) => {
    const user = await UserFactory.create()
    await OutboxEmail.query()
      .where({ userId: user.id, kind: 'welcome' })
      .update({ state: 'sent', attempts: 1, messageId: '<welcome@test>', sentAt: new Date() })
    ;(await run(EmailsResend, [user.username, '--kind=password_reset'])).command.assertSucceeded()

    const json = await run(UsersShow, [user.username, '--json'])
    json.command.assertSucceeded()
    const data = JSON.parse(json.output)
    assert.equal(data.welcome_email.state, 'sent')
    assert.lengthOf(data.emails, 2)
    assert.containsSubset(data.emails, [
      { kind: 'welcome', state: 'sent', attempts: 1, message_id: '<welcome@test>' },
      { kind: 'password_reset', state: 'pending', attempts: 0, message_id: null, sent_at: null },
    ])
    assert.isString(data.emails[0].sent_at)

    const table = await run(UsersShow, [user.username])
    table.command.assertSucceeded()
    assert.match(table.output, /welcome\|sent, 1 attempt, sent \S+, <welcome@test>/)
    assert.match(table.output, /password_reset\|pending, 0 attempts, sent -, -/)
  })

  test('users:show of an unknown user fails clearly', async () => {
    const { command } = await run(UsersShow, ['nobody'])
    command.assertExitCode(1)
    command.assertLogMatches(/No user "nobody"/, 'stderr')
  })

  test('users:create from flags creates the profile and queues the email', async ({ assert }) => {
    const { command } = await run(UsersCreate, [
      '--username=hedy',
      '--email=hedy@example.com',
      '--first-name=Hedy',
      '--last-name=Lamarr',
      '--password=frequency hopping',
    ])
    command.assertSucceeded()
    const user = await User.findByOrFail('username', 'hedy')
    await user.load('profile')
    assert.equal(user.profile.userId, user.id)
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    assert.equal(welcome.state, 'pending')
    assert.isNotNull(await (await defaultQueue()).getJob(welcome.jobKey))
  })

  test('users:create asks for what is missing when a terminal is attached', async ({ assert }) => {
    const isTTY = process.stdin.isTTY
    process.stdin.isTTY = true
    try {
      const command = await ace.create(UsersCreate, ['--username=katherine'])
      command.prompt.trap('Email').replyWith('kj@example.com')
      command.prompt.trap('First name').replyWith('Katherine')
      command.prompt.trap('Last name').replyWith('Johnson')
      command.prompt.trap('Password').replyWith('orbital mechanics')
      await command.exec()
      command.assertSucceeded()
    } finally {
      process.stdin.isTTY = isTTY
    }
    assert.isNotNull(await User.findBy('email', 'kj@example.com'))
  })

  test('users:create refuses missing flags without a terminal, and bad input', async ({
    assert,
  }) => {
    const missing = await run(UsersCreate, ['--username=nobody'])
    missing.command.assertExitCode(1)
    missing.command.assertLogMatches(/Missing --email, --first-name/, 'stderr')

    const invalid = await run(UsersCreate, [
      '--username=bob',
      '--email=not-an-email',
      '--first-name=Bob',
      '--last-name=B',
      '--password=long enough password',
    ])
    invalid.command.assertExitCode(1)
    invalid.command.assertLogMatches(/valid email address/, 'stderr')
    assert.isNull(await User.findBy('username', 'bob'))

    // Several bad values: one line that names them all.
    const several = await run(UsersCreate, [
      '--username=b',
      '--email=not-an-email',
      '--first-name=Bob',
      '--last-name=B',
      '--password=short',
    ])
    several.command.assertExitCode(1)
    const errors = several.command.logger
      .getLogs()
      .filter((log: { stream: string }) => log.stream === 'stderr')
    assert.lengthOf(errors, 1)
    assert.notInclude(errors[0].message, '\n')
    assert.match(errors[0].message, /username.*; .*email.*; .*password/i)
  })

  test('queue:status prints no colour codes into a pipe, and does with --ansi', async ({
    assert,
  }) => {
    // Whatever colour the test run itself was asked for.
    const piped = await runProcess(['queue:status'], { FORCE_COLOR: undefined })
    assert.equal(piped.code, 0, piped.output)
    assert.include(piped.output, 'Queue "default"')
    assert.notInclude(piped.output, '\u001b[')
    const asked = await runProcess(['queue:status', '--ansi'], { FORCE_COLOR: undefined })
    assert.include(asked.output, '\u001b[')
  }).timeout(30_000)

  test('welcome:resend respects the once-only rule unless forced', async ({ assert }) => {
    const user = await UserFactory.create()
    await OutboxEmail.query().where('userId', user.id).update({ state: 'sent', sentAt: new Date() })
    const sent = await OutboxEmail.findByOrFail('userId', user.id)

    const refused = await run(WelcomeResend, [user.username])
    refused.command.assertExitCode(1)
    refused.command.assertLogMatches(/pass --force/, 'stderr')

    const forced = await run(WelcomeResend, [user.username, '--force'])
    forced.command.assertSucceeded()
    // A new email (a row of its own, its own Message-ID to come), under a new job key.
    const welcome = await OutboxEmail.query()
      .where({ userId: user.id, kind: 'welcome' })
      .orderBy('id', 'desc')
      .firstOrFail()
    assert.notEqual(welcome.id, sent.id)
    assert.equal(welcome.state, 'pending')
    assert.equal((await sent.refresh()).state, 'sent')
    assert.notEqual(welcome.jobKey, sent.jobKey)
    assert.isNotNull(await (await defaultQueue()).getJob(welcome.jobKey))
  })

  test('welcome:resend of an unknown user fails clearly', async () => {
    const { command } = await run(WelcomeResend, ['999999'])
    command.assertExitCode(1)
    command.assertLogMatches(/No user "999999"/, 'stderr')
  })

  test('emails:resend queues any kind through the outbox, sent ones only when forced', async ({
    assert,
  }) => {
    const user = await UserFactory.create()
    const queued = await run(EmailsResend, [user.username, '--kind=password_reset'])
    queued.command.assertSucceeded()
    assert.include(queued.output, `Queued the password reset email for ${user.username}`)
    const reset = await OutboxEmail.findByOrFail({ userId: user.id, kind: 'password_reset' })
    assert.equal(reset.state, 'pending')
    assert.isNotNull(await (await defaultQueue()).getJob(reset.jobKey))

    await reset.merge({ state: 'sent', sentAt: DateTime.utc() }).save()
    const refused = await run(EmailsResend, [user.username, '--kind=password_reset'])
    refused.command.assertExitCode(1)
    refused.command.assertLogMatches(/pass --force/, 'stderr')
    const forced = await run(EmailsResend, [user.username, '--kind=password_reset', '--force'])
    forced.command.assertSucceeded()
    const rows = await OutboxEmail.query().where({ userId: user.id, kind: 'password_reset' })
    assert.lengthOf(rows, 2)
  })

  test('emails:resend refuses an unknown kind and a confirmation already done', async () => {
    const user = await UserFactory.create()
    const unknown = await run(EmailsResend, [user.username, '--kind=newsletter'])
    unknown.command.assertExitCode(1)
    unknown.command.assertLogMatches(/--kind must be one of welcome, email_confirmation/, 'stderr')

    const confirmed = await run(EmailsResend, [user.username, '--kind=email_confirmation'])
    confirmed.command.assertExitCode(1)
    confirmed.command.assertLogMatches(/already confirmed/, 'stderr')
  })

  test('emails:resend never makes up an email that tells of an act; one that was sent goes again', async ({
    assert,
  }) => {
    const user = await UserFactory.create()
    for (const kind of ['moderation_suspended', 'moderation_post_removed', 'password_changed']) {
      const none = await run(EmailsResend, [user.username, `--kind=${kind}`])
      none.command.assertExitCode(1)
      none.command.assertLogMatches(/has no .* email to send again/, 'stderr')
    }
    assert.lengthOf(
      await OutboxEmail.query()
        .where('userId', user.id)
        .whereIn('kind', ['moderation_suspended', 'moderation_post_removed', 'password_changed']),
      0
    )

    const payload = { reason: 'Spam links' }
    const sent = await OutboxEmail.record(db.connection(), user.id, 'moderation_suspended', payload)
    await sent.merge({ state: 'sent', sentAt: DateTime.utc() }).save()
    const again = await run(EmailsResend, [user.username, '--kind=moderation_suspended', '--force'])
    again.command.assertSucceeded()
    const rows = await OutboxEmail.query()
      .where({ userId: user.id, kind: 'moderation_suspended' })
      .orderBy('id')
    assert.lengthOf(rows, 2)
    assert.deepEqual(rows[1].payload, payload)
  })

  test('queue:status counts jobs and undelivered intents', async ({ assert }) => {
    await UserFactory.createMany(2)
    await waitUntil(async () => (await (await defaultQueue()).getWaitingCount()) === 2)
    const { command, output } = await run(QueueStatus, ['--json'])
    command.assertSucceeded()
    const data = JSON.parse(output)
    assert.equal(data.jobs.waiting, 2)
    assert.deepEqual(data.welcome_emails, { pending: 2, sending: 0, sent: 0, failed: 0 })
  })

  test('queue:status with Redis unreachable says so and exits 1', async ({ assert }) => {
    const { code, output } = await runProcess(['queue:status'], { REDIS_PORT: '1' })
    assert.equal(code, 1)
    assert.include(output, 'Redis did not answer within 3 s')
    assert.notInclude(output, '    at ', `a stack trace was printed:\n${output}`)
  }).timeout(30_000)

  test('users:suspend with Redis unreachable suspends in MySQL and says the rest lags, exit 1', async ({
    assert,
  }) => {
    const user = await UserFactory.create()
    const { code, output } = await runProcess(['users:suspend', user.username, '--reason=Spam'], {
      REDIS_PORT: '1',
    })
    assert.equal(code, 1, output)
    assert.include(output, `Suspended ${user.username} in MySQL, but Redis did not answer`)
    assert.notInclude(output, '[ success ]')
    await user.refresh()
    assert.isNotNull(user.suspendedAt)
  }).timeout(30_000)

  test('queue:retry-failed puts failed jobs back', async ({ assert }) => {
    const queue = await defaultQueue()
    const stop = await startWorker({ rpc: false })
    await queue.add('NoSuchJob', {}, { attempts: 1 })
    await waitUntil(async () => (await queue.getFailedCount()) === 1)
    await stop()

    const { command, output } = await run(QueueRetryFailed)
    command.assertSucceeded()
    assert.include(output, 'Retried 1 failed jobs')
    assert.equal(await queue.getFailedCount(), 0)
    assert.equal(await queue.getWaitingCount(), 1)
  })

  test('rpc:call prints the reply; error replies exit 1', async ({ assert }) => {
    const stop = await startWorker({ jobs: false })
    try {
      const ping = await run(RpcCall, ['ping'])
      ping.command.assertSucceeded()
      assert.deepEqual(JSON.parse(ping.output), { ok: true, result: 'pong' })

      const unknown = await run(RpcCall, ['registration', '{"user_id": 999999}'])
      unknown.command.assertExitCode(1)
      assert.equal(JSON.parse(unknown.output).error.code, 'unknown_user')
    } finally {
      await stop()
    }
  })

  test('rpc:call refuses malformed JSON and times out clearly', async () => {
    const malformed = await run(RpcCall, ['registration', '{user_id: 7'])
    malformed.command.assertExitCode(1)
    malformed.command.assertLogMatches(/not valid JSON/, 'stderr')

    const silent = await run(RpcCall, ['ping', '--timeout=200'])
    silent.command.assertExitCode(1)
    silent.command.assertLogMatches(/No reply from "email_sender" within 200 ms/, 'stderr')
  })
})
