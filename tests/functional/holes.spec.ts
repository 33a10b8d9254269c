/**
 * The ten holes a hostile review found (issue "Accounts people can trust"),
 * each as a test named after it: every one of them failed before its fix.
 */
import { test } from '@japa/runner'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import config from '@adonisjs/core/services/config'
import drive from '@adonisjs/drive/services/main'
import rateLimits from '#config/rate_limits'
import UsersList from '#commands/users_list'
import UsersShow from '#commands/users_show'
import { forgetReadiness } from '#start/health'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { isolateDatabase, jpegWithExif, rawRequest, validRegistration } from '#tests/helpers'

let nextAddress = 1
const freshIp = () => `198.51.100.${nextAddress++}`

const ESC = '\u001b'

/** Runs an admin command in-process and returns what it printed. */
async function runCommand(Command: any, argv: string[]) {
  ace.ui.logger.flushLogs()
  const command = await ace.create(Command, argv)
  await command.exec()
  const logs = command.logger.getLogs() as { message: string }[]
  return logs.map((log) => log.message).join('\n')
}

test.group('Hole 1: the sign-in lock is keyed by the account', (group) => {
  isolateDatabase(group)

  test('hole 1: after the limit, accent variants and the email are locked too', async ({
    client,
  }) => {
    const user = await UserFactory.merge({
      username: 'lockme',
      email: 'lockme@example.com',
    }).create()
    for (let i = 0; i < rateLimits.failedSignInsPerAccount.requests; i++) {
      const response = await client
        .post('/api/auth/login')
        .header('x-forwarded-for', freshIp())
        .json({ uid: 'lockme', password: 'wrong password' })
      response.assertStatus(401)
    }
    for (const uid of ['lóckme', 'LOCKME', user.email, 'LockMe@Example.com']) {
      const response = await client
        .post('/api/auth/login')
        .header('x-forwarded-for', freshIp())
        .json({ uid, password: FACTORY_PASSWORD })
      response.assertStatus(429)
    }
  }).timeout(30_000)
})

test.group('Hole 2: parallel guesses cannot pass the account lock', (group) => {
  isolateDatabase(group)

  test('hole 2: 30 parallel wrong passwords get at most 10 answers of 401', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        client
          .post('/api/auth/login')
          .header('x-forwarded-for', freshIp())
          .json({ uid: user.username, password: 'wrong password' })
      )
    )
    const statuses = responses.map((response) => response.status())
    const unauthorized = statuses.filter((status) => status === 401).length
    assert.isAtMost(unauthorized, rateLimits.failedSignInsPerAccount.requests)
    assert.equal(unauthorized + statuses.filter((status) => status === 429).length, 30)
  }).timeout(60_000)

  test('hole 2: a right password is refunded, so it never locks the owner out', async ({
    client,
  }) => {
    const user = await UserFactory.create()
    for (let i = 0; i < rateLimits.failedSignInsPerAccount.requests + 2; i++) {
      const response = await client
        .post('/api/auth/login')
        .header('x-forwarded-for', freshIp())
        .json({ uid: user.username, password: FACTORY_PASSWORD })
      response.assertStatus(200)
    }
  }).timeout(60_000)
})

test.group('Hole 3: uploads leave no temporary files', (group) => {
  isolateDatabase(group)
  let folder: string
  let previous: string | undefined
  group.each.setup(async () => {
    drive.fake()
    previous = process.env.TMPDIR
    folder = await mkdtemp(join(tmpdir(), 'gs-uploads-'))
    process.env.TMPDIR = folder
    return async () => {
      drive.restore()
      process.env.TMPDIR = previous
      if (previous === undefined) delete process.env.TMPDIR
      await rm(folder, { recursive: true, force: true })
    }
  })

  /** A multipart body with `count` small files. */
  async function multipart(count: number) {
    const form = new FormData()
    const bytes = await jpegWithExif(32, 32)
    for (let i = 0; i < count; i++) {
      form.append(`file${i}`, new Blob([bytes], { type: 'image/jpeg' }), `f${i}.jpg`)
    }
    return form
  }

  test('hole 3: files sent without signing in, or to a route without uploads, are not stored', async ({
    assert,
  }) => {
    const user = await UserFactory.create()
    for (const path of [`/api/profiles/${user.profile.id}`, '/api/users', '/api/auth/login']) {
      const response = await rawRequest(path, { method: 'PATCH', body: await multipart(3) })
      await response.arrayBuffer()
      const post = await rawRequest(path, { method: 'POST', body: await multipart(3) })
      await post.arrayBuffer()
      assert.isAtLeast(post.status, 400)
    }
    assert.deepEqual(await readdir(folder), [])
  })

  test('hole 3: a signed-in upload is bounded in files and its temp files are deleted', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const ok = await client
      .patch(`/api/profiles/${user.profile.id}`)
      .withGuard('api')
      .loginAs(user)
      .file('profile_picture', await jpegWithExif(64, 64), { filename: 'me.jpg' })
    ok.assertStatus(200)
    assert.deepEqual(await readdir(folder), [])

    let request = client.patch(`/api/profiles/${user.profile.id}`).withGuard('api').loginAs(user)
    for (let i = 0; i < 5; i++) {
      request = request.file(`extra${i}`, await jpegWithExif(16, 16), { filename: `x${i}.jpg` })
    }
    const tooMany = await request
    tooMany.assertStatus(413)
    assert.deepEqual(await readdir(folder), [])
  })
})

test.group('Hole 4: sign-in by email only when the identifier has an @', (group) => {
  isolateDatabase(group)

  test('hole 4: a username may not contain @', async ({ client }) => {
    const response = await client
      .post('/api/users')
      .json({ ...validRegistration, username: 'victim@example.com' })
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'username', rule: 'regex' }] })
  })

  test('hole 4: an old username holding an email cannot shadow that address', async ({
    client,
    assert,
  }) => {
    // Registered before the rule, and never migrated silently.
    await UserFactory.merge({ username: 'victim@example.com' }).create()
    const victim = await UserFactory.merge({ email: 'victim@example.com' }).create()

    const response = await client
      .post('/api/auth/login')
      .json({ uid: 'victim@example.com', password: FACTORY_PASSWORD })
    response.assertStatus(200)
    const me = await client.get('/api/me').bearerToken(response.body().token)
    assert.equal(me.body().id, victim.id)
  })
})

test.group('Hole 5: control characters', (group) => {
  isolateDatabase(group)

  test('hole 5: control characters are refused in names and the bio', async ({ client }) => {
    for (const field of ['first_name', 'last_name']) {
      const response = await client
        .post('/api/users')
        .json({ ...validRegistration, [field]: `Ada${ESC}[2J${ESC}]0;pwned\u0007` })
      response.assertStatus(422)
      response.assertBodyContains({ errors: [{ field, rule: 'controlCharacters' }] })
    }
    const user = await UserFactory.create()
    for (const bio of [`hi ${ESC}[31mred`, 'over\u202Eride', 'c1 \u009b31m']) {
      const response = await client
        .patch(`/api/profiles/${user.profile.id}`)
        .withGuard('api')
        .loginAs(user)
        .json({ bio })
      response.assertStatus(422)
      response.assertBodyContains({ errors: [{ field: 'bio', rule: 'controlCharacters' }] })
    }
    // Lines and tabs are still fine in a bio.
    const fine = await client
      .patch(`/api/profiles/${user.profile.id}`)
      .withGuard('api')
      .loginAs(user)
      .json({ bio: 'line one\nline two\ttabbed' })
    fine.assertStatus(200)
  })

  test('hole 5: users:list and users:show print stored control characters escaped', async ({
    assert,
  }) => {
    await ace.boot()
    ace.ui.switchMode('raw')
    try {
      // A row written before validation refused it.
      const user = await UserFactory.merge({ firstName: `Evil${ESC}[2J\u009b` }).create()
      await user.load('profile')
      user.profile.bio = `bio${ESC}]0;title\u0007`
      await user.profile.save()

      for (const [Command, argv] of [
        [UsersList, []],
        [UsersList, ['--json']],
        [UsersShow, [String(user.id)]],
        [UsersShow, [String(user.id), '--json']],
      ] as const) {
        const output = await runCommand(Command, [...argv])
        // eslint-disable-next-line no-control-regex -- looking for raw control characters
        assert.notMatch(output, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
        assert.include(output, 'Evil')
      }
    } finally {
      ace.ui.switchMode('normal')
    }
  })
})

test.group('Hole 6: look-alike usernames', (group) => {
  isolateDatabase(group)

  test('hole 6: a username whose confusable skeleton matches an existing one is refused', async ({
    client,
  }) => {
    await UserFactory.merge({ username: 'admin' }).create()
    // Cyrillic а, digit one for l, "rn" for m.
    for (const username of ['\u0430dmin', 'adrnin', 'admIn']) {
      const response = await client.post('/api/users').json({ ...validRegistration, username })
      response.assertStatus(422)
      response.assertBodyContains({ errors: [{ field: 'username' }] })
    }
    await UserFactory.merge({ username: 'paypal' }).create()
    const response = await client
      .post('/api/users')
      .json({ ...validRegistration, username: 'paypa1' })
    response.assertStatus(422)
  })
})

test.group('Hole 7: /media traversal', () => {
  test('hole 7: a traversal path under /media is a plain 404', async ({ assert }) => {
    for (const path of ['/media/..%2f..%2fpackage.json', '/media/..%2fconfig%2fapp.ts']) {
      const response = await rawRequest(path, { headers: { accept: 'text/html' } })
      const body = await response.text()
      assert.equal(response.status, 404, path)
      assert.notInclude(body, app.makePath())
      assert.notInclude(body, 'TRAVERSAL')
    }
  })
})

test.group('Hole 8: /health/ready', (group) => {
  group.each.setup(() => forgetReadiness())
  group.each.teardown(() => forgetReadiness())

  test('hole 8: checks are cached briefly, so a flood opens no connection per call', async ({
    client,
    assert,
  }) => {
    const first = await client.get('/health/ready')
    first.assertStatus(200)
    const second = await client.get('/health/ready')
    second.assertStatus(200)
    assert.isTrue(second.body().checks.every((check: { isCached: boolean }) => check.isCached))
  })

  test('hole 8: a failure names the dependency and nothing of its error', async ({
    client,
    assert,
  }) => {
    const url = config.get<string>('rabbitmq.url')
    config.set('rabbitmq.url', 'amqp://secret-user:secret-pass@127.0.0.1:1')
    try {
      const response = await client.get('/health/ready')
      response.assertStatus(503)
      const text = JSON.stringify(response.body())
      assert.notInclude(text, 'secret')
      assert.notInclude(text, 'ECONNREFUSED')
      assert.notInclude(text, '127.0.0.1')
      response.assertBodyContains({ errors: [{ message: 'RabbitMQ: unavailable' }] })
    } finally {
      config.set('rabbitmq.url', url)
    }
  })
})

test.group('Hole 9: per-IP sign-in limit', (group) => {
  isolateDatabase(group)

  test('hole 9: at most 25 sign-ins per 5 minutes per client address', async ({
    client,
    assert,
  }) => {
    const { requests, duration } = rateLimits.signInsPerIp
    assert.isAtMost(requests, 25)
    assert.include(['5 minutes', '5 mins', '5m'], duration)
    const ip = freshIp()
    for (let i = 0; i < requests; i++) {
      // A forged left-most address does not give a fresh bucket: the
      // trusted proxy's right-most entry is the client.
      const response = await client
        .post('/api/auth/login')
        .header('x-forwarded-for', `10.${i}.0.1, ${ip}`)
        .json({ uid: `nobody${i}`, password: 'whatever1' })
      response.assertStatus(401)
    }
    const blocked = await client
      .post('/api/auth/login')
      .header('x-forwarded-for', `192.0.2.77, ${ip}`)
      .json({ uid: 'nobody', password: 'whatever1' })
    blocked.assertStatus(429)
  }).timeout(60_000)
})

test.group('Hole 10: headers and the example APP_KEY', (group) => {
  isolateDatabase(group)

  test('hole 10: owner-only pages are private and not stored', async ({ client, assert }) => {
    const user = await UserFactory.create()
    for (const path of [`/profiles/${user.profile.id}/edit`, `/users/${user.id}`]) {
      const response = await client.get(path).loginAs(user)
      response.assertStatus(200)
      assert.include(response.header('cache-control') ?? '', 'no-store', path)
      assert.include(response.header('cache-control') ?? '', 'private', path)
    }
    const me = await client.get('/api/me').withGuard('api').loginAs(user)
    assert.include(me.header('cache-control') ?? '', 'no-store')
  })

  test('hole 10: Referrer-Policy everywhere and nosniff on the API', async ({ client, assert }) => {
    const user = await UserFactory.create()
    for (const path of [
      '/',
      '/login',
      `/users/${user.id}`,
      `/api/users/${user.id}`,
      '/api/nothing',
      '/health/live',
      '/nothing-here',
    ]) {
      const response = await client.get(path)
      assert.equal(response.header('referrer-policy'), 'same-origin', path)
      if (path.startsWith('/api') || path.startsWith('/health')) {
        assert.equal(response.header('x-content-type-options'), 'nosniff', path)
      }
    }
  })

  test('hole 10: the app refuses to start in production with the example APP_KEY', async ({
    assert,
  }) => {
    // A command that boots the app, as the server and the worker do.
    const child = spawn(process.execPath, ['ace', 'users:list', '--limit=1'], {
      cwd: app.makePath(),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        APP_KEY: 'change-me-to-a-random-32-char-key',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const [code] = await once(child, 'exit')
    assert.notEqual(code, 0)
    assert.include(output, 'APP_KEY')
  }).timeout(30_000)
})
