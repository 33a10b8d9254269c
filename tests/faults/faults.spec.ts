import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import autocannon from 'autocannon'
import { waitUntil } from '#tests/helpers'
import { FaultStack } from './helpers/stack.js'

const BATCH = 500

/** A process's resident memory, in bytes. */
async function rssOf(pid: number) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

async function timed(url: string) {
  const started = Date.now()
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  const text = await response.text()
  return { status: response.status, text, ms: Date.now() - started }
}

test.group('Faults: real servers stopped and restarted', (group) => {
  let stack: FaultStack

  group.setup(async () => {
    stack = await FaultStack.start()
    return () => stack.stop()
  })
  group.each.setup(() => {
    stack.sink.messages = []
  })

  test('MySQL down: 503 within 2 s, not a hang; back to 200 when it returns', async ({
    assert,
  }) => {
    const { id } = await stack.register()
    await stack.mysql.stop()
    try {
      const api = await timed(stack.url(`/api/users/${id}`))
      assert.equal(api.status, 503, api.text)
      assert.isBelow(api.ms, 2000)
      assert.match(JSON.parse(api.text).errors[0].message, /temporarily unavailable/)

      const page = await timed(stack.url(`/users/${id}`))
      assert.equal(page.status, 503)
      assert.isBelow(page.ms, 2000)

      const ready = await timed(stack.url('/health/ready'))
      assert.equal(ready.status, 503)
      assert.isBelow(ready.ms, 2000)
      assert.match(JSON.parse(ready.text).errors[0].message, /^MySQL: /)
    } finally {
      await stack.mysql.start()
    }
    await waitUntil(async () => (await timed(stack.url(`/api/users/${id}`))).status === 200, 15_000)
    console.log('mysql fault: 503 while down, 200 after restart')
  }).timeout(60_000)

  test('Redis down: registration still 201, the email arrives once Redis is back', async ({
    assert,
  }) => {
    await stack.redis.stop()
    let user: Awaited<ReturnType<FaultStack['register']>>
    try {
      const started = Date.now()
      user = await stack.register()
      assert.equal(user.status, 201)
      assert.isBelow(Date.now() - started, 5000)
      assert.lengthOf(stack.sink.to(user.email), 0)
    } finally {
      await stack.redis.start()
    }
    await waitUntil(() => stack.sink.to(user.email).length === 1, 30_000)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    assert.lengthOf(stack.sink.to(user.email), 1)
    console.log('redis fault: registered while down, 1 email after restart')
  }).timeout(90_000)

  test(`${BATCH} registrations through a RabbitMQ restart and a SIGKILLed worker: one email each`, async ({
    assert,
  }) => {
    const emails: string[] = []
    let done = 0
    const faults = (async () => {
      await waitUntil(() => done >= BATCH * 0.3, 120_000)
      await stack.rabbitmq.stop()
      await new Promise((resolve) => setTimeout(resolve, 2000))
      await stack.rabbitmq.start()

      await waitUntil(() => done >= BATCH * 0.6, 120_000)
      stack.worker.child.kill('SIGKILL')
      await stack.worker.stop()
      stack.worker = await stack.startWorker()
    })()

    // 16 clients registering as fast as they can.
    const next = { value: 0 }
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next.value < BATCH) {
          next.value++
          const user = await stack.register()
          assert.equal(user.status, 201)
          emails.push(user.email)
          done++
        }
      })
    )
    await faults

    const delivered = () =>
      new Set(stack.sink.messages.flatMap((m) => [m.to ?? []].flat().map((to) => to.text)))
    await waitUntil(() => emails.every((email) => stack.sink.to(email).length > 0), 150_000)
    // Give a stale claim time to be (wrongly) re-sent before counting.
    await new Promise((resolve) => setTimeout(resolve, 8000))

    const deliveries = stack.sink.messages.length
    const perUser = emails.map(
      (email) => new Set(stack.sink.to(email).map((m) => m.messageId)).size
    )
    const received = perUser.filter((count) => count === 1).length
    console.log(
      `welcome emails: ${BATCH} expected, ${received} received exactly once, ` +
        `${deliveries} SMTP deliveries, ${delivered().size} recipients`
    )
    assert.lengthOf(emails, BATCH)
    assert.equal(received, BATCH)
    assert.isTrue(perUser.every((count) => count === 1))
  }).timeout(300_000)

  test('soak: 60 s of mixed traffic, zero 5xx, memory back within 10%', async ({ assert }) => {
    const users = await Promise.all(Array.from({ length: 20 }, () => stack.register()))
    const ids = users.map((user) => user.id)
    let counter = 0
    const address = () => `10.9.${Math.floor(counter / 250) % 250}.${(counter++ % 250) + 1}`
    const pick = () => ids[Math.floor(Math.random() * ids.length)]

    const mixedTraffic = (seconds: number) =>
      autocannon({
        url: stack.url('/'),
        connections: 16,
        duration: seconds,
        requests: [
          { method: 'GET', setupRequest: (r: any) => ({ ...r, path: `/api/users/${pick()}` }) },
          { method: 'GET', setupRequest: (r: any) => ({ ...r, path: `/users/${pick()}` }) },
          { method: 'GET', path: '/' },
          { method: 'GET', path: '/health/live' },
          {
            method: 'POST',
            path: '/api/auth/login',
            setupRequest: (r: any) => ({
              ...r,
              headers: { 'content-type': 'application/json', 'x-forwarded-for': address() },
              body: JSON.stringify({ uid: users[0].email, password: 'resilient password' }),
            }),
          },
          {
            method: 'POST',
            path: '/api/users',
            setupRequest: (r: any) => {
              const n = counter
              return {
                ...r,
                headers: { 'content-type': 'application/json', 'x-forwarded-for': address() },
                body: JSON.stringify({
                  username: `soak_${n}_${Date.now()}`,
                  email: `soak.${n}.${Date.now()}@example.com`,
                  first_name: 'Soak',
                  last_name: 'Test',
                  password: 'long enough password',
                }),
              }
            },
          },
        ],
      })

    // Memory is compared in the same state both times: after the process has
    // reached its working size (a warm-up as long as the run), then after a
    // full garbage collection (gc_on_signal.cjs), at its lowest over an idle
    // pause in which V8 and glibc give back what they freed.
    const settledRss = async () => {
      const pid = stack.app.process.child.pid!
      let lowest = Number.POSITIVE_INFINITY
      for (let second = 0; second < 15; second++) {
        if (second % 5 === 0) process.kill(pid, 'SIGUSR2')
        await new Promise((resolve) => setTimeout(resolve, 1000))
        lowest = Math.min(lowest, await rssOf(pid))
      }
      return lowest
    }
    await mixedTraffic(60)
    const before = await settledRss()

    const result = await mixedTraffic(60)
    const after = await settledRss()

    const change = ((after - before) / before) * 100
    console.log(
      `soak: ${result.requests.total} requests in 60 s, ${result['2xx']} 2xx, ${result['4xx']} 4xx, ` +
        `${result['5xx']} 5xx, ${result.errors} errors; RSS ${mb(before)} → ${mb(after)} MB (${change.toFixed(1)}%)`
    )
    assert.equal(result['5xx'], 0)
    assert.equal(result.errors, 0)
    assert.isAbove(result['2xx'], 1000)
    assert.isAtMost(after, before * 1.1)
  }).timeout(240_000)
})
