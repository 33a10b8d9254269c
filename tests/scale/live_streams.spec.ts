import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { FACTORY_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { STREAM_LIMITS } from '#services/notifications/live_streams'
import { notificationChannel } from '#services/notifications/notification_stream'
import { truncateTables } from '#tests/helpers'
import { BuiltApp } from '#tests/integration/helpers/built_app'
import { SseStream, WebSession } from '#tests/integration/helpers/sse'

/**
 * Two built app replicas on one Redis: a user's streams are counted
 * together wherever they are held, and end with their session whichever
 * replica ended it.
 */
test.group('Live streams across replicas (built apps, Redis)', (group) => {
  let appA: BuiltApp
  let appB: BuiltApp
  const streams: SseStream[] = []

  group.setup(async () => {
    await BuiltApp.build()
    ;[appA, appB] = await Promise.all([BuiltApp.start(), BuiltApp.start()])
    return async () => {
      await Promise.all([appA.stop(), appB.stop()])
    }
  })
  group.each.setup(async () => {
    await truncateTables()
    return () => streams.splice(0).forEach((stream) => stream.close())
  })

  const url = (app: BuiltApp) => `http://${app.address}`

  async function openOn(app: BuiltApp, browser: WebSession, userId: number) {
    const stream = await SseStream.open(
      `${url(app)}/__transmit/events?uid=u${userId}-${randomUUID()}`,
      { cookie: browser.cookieHeader }
    )
    streams.push(stream)
    return stream
  }

  test('hole 1: a user’s streams are counted together on every replica', async ({ assert }) => {
    const user = await UserFactory.create()
    const browser = await WebSession.signIn(url(appA), user.username, FACTORY_PASSWORD)
    for (let i = 0; i < STREAM_LIMITS.perUser; i++) {
      await openOn(i % 2 ? appB : appA, browser, user.id)
    }
    for (const app of [appA, appB]) {
      await assert.rejects(() => openOn(app, browser, user.id), /the stream answered 429/)
    }
  }).timeout(30_000)

  test('hole 3: signing out on one replica ends the stream another holds', async ({ assert }) => {
    const user = await UserFactory.create()
    const browser = await WebSession.signIn(url(appA), user.username, FACTORY_PASSWORD)
    const stream = await browser.listen(notificationChannel(user.id), user.id, url(appB))
    streams.push(stream)
    const signedOut = await browser.fetch('/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: browser.csrfToken }).toString(),
    })
    assert.equal(signedOut.status, 302)
    assert.isTrue(await stream.endsWithin(5000))
  }).timeout(30_000)
})
