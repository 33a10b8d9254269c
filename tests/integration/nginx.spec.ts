import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import app from '@adonisjs/core/services/app'
import { NginxUnderTest } from './helpers/nginx.js'
import { BuiltApp } from './helpers/built_app.js'
import { EchoServer, send } from './helpers/http.js'
import { SseStream, WebSession } from './helpers/sse.js'
import { createServer, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import { FACTORY_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { NotificationService } from '#services/notifications/notification_service'
import { notificationChannel } from '#services/notifications/notification_stream'
import { truncateTables } from '#tests/helpers'
import { withTimeout } from '#helpers/timeout'

/**
 * Debian's nginx runs the production server block (nginx/conf.d/default.conf and
 * nginx/snippets/gsocial.conf) on loopback; only its port, upstream address and
 * web root differ from production. See helpers/nginx.ts.
 */

const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])
const MB = 1024 * 1024

/** A multipart upload of `size` bytes, the way a form sends a picture. */
const sendUpload = (method: string, url: string, size: number) =>
  send(url, {
    method,
    headers: { 'content-type': 'multipart/form-data; boundary=x' },
    body: Buffer.alloc(size),
  })

/**
 * The access log line of the last request for `path`. Nginx writes it just
 * after the response goes out, so it may land a moment after we read the body.
 */
async function logLine(nginx: NginxUnderTest, path: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const log = await nginx.accessLog()
    const line = log
      .split('\n')
      .filter((entry) => entry.includes(` ${path} `))
      .at(-1)
    if (line) return line
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return ''
}

test.group('Nginx in front of the built app', (group) => {
  let builtApp: BuiltApp
  let nginx: NginxUnderTest
  let appCss: string
  let favicon: Buffer
  let touchIcon: Buffer

  group.setup(async () => {
    appCss = await readFile(app.makePath('public/static/app.css'), 'utf8')
    favicon = await readFile(app.makePath('public/static/favicon.ico'))
    touchIcon = await readFile(app.makePath('public/static/apple-touch-icon.png'))
    await BuiltApp.build()
    builtApp = await BuiltApp.start()
    try {
      nginx = await NginxUnderTest.start({
        upstream: builtApp.address,
        files: {
          // What the release step copies into the static volume...
          'static/app.css': appCss,
          'static/favicon.ico': favicon,
          'static/apple-touch-icon.png': touchIcon,
          // ...and a file the app does not have, to tell who answered.
          'static/only-in-nginx.css': 'body { color: teal }\n',
          'media/profile_pics/abc.webp': WEBP,
          'media/profile_pics/evil.html': '<script>alert(1)</script>',
          'media/profile_pics/evil.svg':
            '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
          'media/profile_pics/no-extension': 'GIF89a<script>alert(1)</script>',
        },
      })
    } catch (error) {
      await builtApp.stop()
      throw error
    }
    return async () => {
      await nginx.stop()
      await builtApp.stop()
    }
  })

  test('nginx -t accepts the production config', async ({ assert }) => {
    const result = await nginx.test()
    assert.equal(result.code, 0, result.stderr)
    assert.include(result.stderr, 'syntax is ok')
    assert.include(result.stderr, 'test is successful')
  })

  test('proxies app routes to the built app', async ({ assert }) => {
    const response = await send(nginx.url('/health/live'))
    assert.equal(response.status, 200)
    assert.deepEqual(JSON.parse(response.text), { status: 'ok' })
    assert.equal(response.headers.server, 'nginx')
    assert.include(await logLine(nginx, '/health/live'), `upstream=${builtApp.address}`)
  })

  test('serves /static/ from the static folder itself, with cache headers', async ({ assert }) => {
    const css = await send(nginx.url('/static/app.css'))
    assert.equal(css.status, 200)
    assert.equal(css.text, appCss)
    assert.match(css.headers['content-type']!, /^text\/css/)
    assert.equal(css.headers['cache-control'], 'max-age=3600')
    assert.equal(css.headers['x-content-type-options'], 'nosniff')
    assert.include(await logLine(nginx, '/static/app.css'), 'upstream=-')

    const onlyInNginx = await send(nginx.url('/static/only-in-nginx.css'))
    assert.equal(onlyInNginx.status, 200)
    assert.equal(onlyInNginx.text, 'body { color: teal }\n')
    const fromApp = await send(`http://${builtApp.address}/static/only-in-nginx.css`)
    assert.equal(fromApp.status, 404)

    const missing = await send(nginx.url('/static/missing.css'))
    assert.equal(missing.status, 404)
    assert.include(await logLine(nginx, '/static/missing.css'), 'upstream=-')
  })

  test('serves the root icons from the static folder, never the app', async ({ assert }) => {
    const ico = await send(nginx.url('/favicon.ico'))
    assert.equal(ico.status, 200)
    assert.deepEqual(ico.body, favicon)
    assert.include(await logLine(nginx, '/favicon.ico'), 'upstream=-')
    for (const path of ['/apple-touch-icon.png', '/apple-touch-icon-precomposed.png']) {
      const png = await send(nginx.url(path))
      assert.equal(png.status, 200, path)
      assert.equal(png.headers['content-type'], 'image/png')
      assert.deepEqual(png.body, touchIcon)
    }
  })

  test('gzips text when the client accepts it', async ({ assert }) => {
    const response = await send(nginx.url('/static/app.css'), {
      headers: { 'accept-encoding': 'gzip' },
    })
    assert.equal(response.status, 200)
    assert.equal(response.headers['content-encoding'], 'gzip')
    assert.equal(response.headers.vary, 'Accept-Encoding')
    assert.equal(gunzipSync(response.body).toString(), appCss)
  })

  test('serves uploaded pictures from /media/ as images, never sniffed', async ({ assert }) => {
    const response = await send(nginx.url('/media/profile_pics/abc.webp'))
    assert.equal(response.status, 200)
    assert.deepEqual(response.body, WEBP)
    assert.equal(response.headers['content-type'], 'image/webp')
    assert.equal(response.headers['x-content-type-options'], 'nosniff')
    assert.equal(response.headers['content-security-policy'], "default-src 'none'; sandbox")
    assert.equal(response.headers['cache-control'], 'max-age=604800')
    assert.include(await logLine(nginx, '/media/profile_pics/abc.webp'), 'upstream=-')
  })

  test('carries a signed-in browser’s notification stream to the app and its events back', async ({
    assert,
  }) => {
    await truncateTables()
    const [ada, bob] = await UserFactory.createMany(2)
    await new NotificationService().record({
      type: 'friend_request',
      recipientId: bob.id,
      actorId: ada.id,
      subjectId: 1,
      at: Date.now(),
    })
    const browser = await WebSession.signIn(nginx.url(''), bob.username, FACTORY_PASSWORD)
    const stream = await browser.listen(notificationChannel(bob.id), bob.id)
    try {
      assert.equal(stream.response.headers['content-type'], 'text/event-stream')
      const read = await browser.fetch('/notifications/read', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: browser.csrfToken }).toString(),
      })
      assert.equal(read.status, 302)
      const message = await stream.waitForMessage(
        notificationChannel(bob.id),
        (payload) => payload.unread_count === 0,
        2000
      )
      assert.isNull(message.payload.notification)
    } finally {
      stream.close()
      await truncateTables()
    }
  })

  test('serves nothing but images from /media/, even when the file exists', async ({ assert }) => {
    for (const name of ['evil.html', 'evil.svg', 'no-extension']) {
      const response = await send(nginx.url(`/media/profile_pics/${name}`))
      assert.equal(response.status, 404, name)
      assert.notInclude(response.text, 'alert(1)', name)
      assert.include(await logLine(nginx, `/media/profile_pics/${name}`), 'upstream=-', name)
    }
  })
})

test.group('Nginx proxy headers and limits', (group) => {
  let upstream: EchoServer
  let nginx: NginxUnderTest

  group.setup(async () => {
    upstream = await EchoServer.start()
    const tooLarge = await readFile(app.makePath('public/static/errors/too_large.html'))
    nginx = await NginxUnderTest.start({
      upstream: upstream.address,
      files: { 'static/errors/too_large.html': tooLarge },
    })
    return async () => {
      await nginx.stop()
      await upstream.stop()
    }
  })

  test("tells the app the client's real address, not the one it claims", async ({ assert }) => {
    const response = await send(nginx.url('/users/7'), {
      headers: {
        'host': 'gsocial.example',
        'x-forwarded-for': '203.0.113.9',
        'x-real-ip': '203.0.113.9',
        'x-forwarded-host': 'evil.example',
      },
    })
    assert.equal(response.status, 200)
    const seen = upstream.last()!
    assert.equal(seen.url, '/users/7')
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1')
    assert.equal(seen.headers['x-real-ip'], '127.0.0.1')
    assert.equal(seen.headers['x-forwarded-proto'], 'http')
    assert.equal(seen.headers['x-forwarded-host'], 'gsocial.example')
    assert.equal(seen.headers.host, 'gsocial.example')
    assert.include(await logLine(nginx, '/users/7'), 'xff="203.0.113.9"')
  })

  test('keeps connections to the app alive between requests', async ({ assert }) => {
    await send(nginx.url('/one'))
    await send(nginx.url('/two'))
    const [first, second] = upstream.requests.slice(-2)
    assert.deepEqual([first.url, second.url], ['/one', '/two'])
    assert.notEqual(first.headers.connection, 'close')
    assert.equal(second.remotePort, first.remotePort)
  })

  test('answers its own health check without the app', async ({ assert }) => {
    const before = upstream.requests.length
    const response = await send(nginx.url('/health/nginx'))
    assert.equal(response.status, 200)
    assert.equal(response.text, 'ok\n')
    assert.equal(upstream.requests.length, before)
  })

  test('lets a 2.5 MB upload through and refuses 4 MB with 413', async ({ assert }) => {
    const allowed = await sendUpload('POST', nginx.url('/profiles/7'), 2.5 * MB)
    assert.equal(allowed.status, 200)
    assert.equal(upstream.last()!.bodyLength, 2.5 * MB)

    const before = upstream.requests.length
    const refused = await sendUpload('POST', nginx.url('/profiles/7'), 4 * MB)
    assert.equal(refused.status, 413)
    assert.equal(upstream.requests.length, before)
  })

  test('a page over the body limit answers 413 with a page that says why (issue 25)', async ({
    assert,
  }) => {
    const response = await sendUpload('POST', nginx.url('/posts'), 4 * MB)
    assert.equal(response.status, 413)
    assert.match(response.headers['content-type']!, /^text\/html/)
    assert.include(response.text, 'Pictures (profile pictures and post images) may be at most 2 MB')
  })

  test('refuses an oversized API request with a JSON 413 in the error shape', async ({
    assert,
  }) => {
    const before = upstream.requests.length
    const response = await sendUpload('PATCH', nginx.url('/api/profiles/7'), 4 * MB)
    assert.equal(response.status, 413)
    assert.match(response.headers['content-type']!, /^application\/json/)
    const body = JSON.parse(response.text)
    assert.lengthOf(body.errors, 1)
    assert.match(body.errors[0].message, /too large/)
    assert.equal(upstream.requests.length, before)
  })
})

/**
 * Two stand-in replicas behind the production upstream block, stopped and
 * started again on their own ports as a rolling restart or a crash does.
 */
test.group('Nginx and app replicas that stop and come back', (group) => {
  let replicas: EchoServer[]
  let nginx: NginxUnderTest

  group.setup(async () => {
    replicas = await Promise.all([EchoServer.start(), EchoServer.start()])
    nginx = await NginxUnderTest.start({ upstream: replicas.map((replica) => replica.address) })
    return async () => {
      await nginx.stop()
      await Promise.allSettled(replicas.map((replica) => replica.stop()))
    }
  })

  const statuses = async (count: number, method = 'GET') => {
    const answers: number[] = []
    for (let i = 0; i < count; i++) answers.push((await send(nginx.url('/'), { method })).status)
    return answers
  }

  test('one replica down: every request, writes included, is answered by the other', async ({
    assert,
  }) => {
    const ports = replicas.map((replica) => Number(replica.address.split(':')[1]))
    await replicas[1].stop()
    assert.deepEqual(await statuses(6), [200, 200, 200, 200, 200, 200])
    // Refused before it was sent: a POST goes to the other replica too.
    assert.deepEqual(await statuses(4, 'POST'), [200, 200, 200, 200])
    replicas[1] = await EchoServer.start(ports[1])
  })

  test('every replica restarted together: served again at once, not after their rest', async ({
    assert,
  }) => {
    const ports = replicas.map((replica) => Number(replica.address.split(':')[1]))
    await Promise.all(replicas.map((replica) => replica.stop()))
    assert.deepEqual(await statuses(4), [502, 502, 502, 502])

    replicas = await Promise.all(ports.map((port) => EchoServer.start(port)))
    // Both rest for fail_timeout after those failures; the first request after they are back is served.
    assert.deepEqual(await statuses(4), [200, 200, 200, 200])
  })
})

/**
 * An upstream that streams events the way the app does, but without
 * X-Accel-Buffering, so only Nginx's own config decides whether they pass.
 */
test.group('Nginx and the event stream', (group) => {
  let upstream: ReturnType<typeof createServer>
  let open: ServerResponse[]
  let nginx: NginxUnderTest

  group.setup(async () => {
    open = []
    upstream = createServer((req, res) => {
      // Not chunked (the body ends when the connection does): Nginx flushes
      // each chunk of a chunked body anyway; this way only its config decides.
      res.useChunkedEncodingByDefault = false
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      res.write(`data: ${JSON.stringify({ first: req.url })}\n\n`)
      open.push(res)
    })
    upstream.listen(0, '127.0.0.1')
    await once(upstream, 'listening')
    const { port } = upstream.address() as { port: number }
    nginx = await NginxUnderTest.start({ upstream: `127.0.0.1:${port}` })
    return async () => {
      open.forEach((res) => res.end())
      await nginx.stop()
      upstream.closeAllConnections()
      upstream.close()
    }
  })

  test('passes each event of /__transmit/events at once, unbuffered', async ({ assert }) => {
    // A buffering proxy would not even send the headers yet.
    const stream = await withTimeout(
      SseStream.open(nginx.url('/__transmit/events?uid=x')),
      2000,
      'no response headers within 2 s'
    )
    try {
      // Only the first event has been written, and the upstream keeps the
      // response open: a buffering proxy would hold it back.
      await waitForEvents(stream, 1)
      assert.deepEqual(JSON.parse(stream.events[0].data), { first: '/__transmit/events?uid=x' })

      open.at(-1)!.write('data: {"second":true}\n\n')
      await waitForEvents(stream, 2)
      assert.deepEqual(JSON.parse(stream.events[1].data), { second: true })
    } finally {
      stream.close()
    }
  })

  test('hole 1: a 21st stream from one address answers 429 from Nginx, never reaching the app', async ({
    assert,
  }) => {
    const streams: SseStream[] = []
    try {
      for (let i = 0; i < 20; i++) {
        streams.push(await SseStream.open(nginx.url(`/__transmit/events?uid=${i}`)))
      }
      const reached = open.length
      const refused = await withTimeout(
        send(nginx.url('/__transmit/events?uid=21'), { headers: { accept: 'text/event-stream' } }),
        5000,
        'the 21st stream was let through'
      )
      assert.equal(refused.status, 429)
      assert.match(JSON.parse(refused.text).errors[0].message, /Too many live streams/)
      assert.equal(open.length, reached)
      // Pages from the same address are not counted.
      assert.equal((await send(nginx.url('/health/nginx'))).status, 200)

      // A closed stream frees its place.
      const closed = streams.pop()!
      closed.close()
      let again: SseStream | undefined
      for (let attempt = 0; attempt < 100 && !again; attempt++) {
        again = await SseStream.open(nginx.url('/__transmit/events?uid=again')).catch(
          () => new Promise<undefined>((resolve) => setTimeout(resolve, 20))
        )
      }
      assert.isDefined(again)
      streams.push(again!)
    } finally {
      streams.forEach((stream) => stream.close())
    }
  })

  test('gives the stream an hour of silence before timing it out', async ({ assert }) => {
    const config = await readFile(app.makePath('nginx/snippets/gsocial.conf'), 'utf8')
    const block = /location = \/__transmit\/events \{([^}]*)\}/.exec(config)?.[1] ?? ''
    assert.match(block, /proxy_pass http:\/\/gsocial_app;/)
    assert.match(block, /proxy_buffering off;/)
    assert.match(block, /proxy_read_timeout 1h;/)
    assert.match(block, /limit_conn gsocial_streams 20;/)
    // Everything else keeps the short timeout.
    assert.match(config, /^proxy_read_timeout 30s;$/m)
  })
})

async function waitForEvents(stream: SseStream, count: number, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs
  while (stream.events.length < count) {
    if (Date.now() > deadline) throw new Error(`${count} event(s) expected within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
