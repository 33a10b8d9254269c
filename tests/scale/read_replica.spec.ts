import { test } from '@japa/runner'
import { waitUntil } from '#tests/helpers'
import { linkIn } from '#tests/integration/helpers/smtp_sink'
import { WebSession } from '#tests/integration/helpers/sse'
import { DATABASE, PASSWORD, ReplicaStack } from './helpers/replica_stack.js'

/** How far behind the replica stays: nothing the tests write reaches it while they run. */
const REPLICA_DELAY_S = 600

/**
 * Two built app replicas and a worker with DB_READ_HOSTS set to a real, read-only
 * MariaDB replica that applies every change REPLICA_DELAY_S late (the
 * replication runs, and the replica reports that lag): everything the
 * tests write is on the primary only, so any write or deciding read that
 * reaches the replica fails, and every stale read shows.
 */
test.group('Scale: a read-only MariaDB replica (DB_READ_HOSTS)', (group) => {
  let stack: ReplicaStack

  group.setup(async () => {
    stack = await ReplicaStack.start({
      // The replica's lag is tolerated (it is below this) until it is stopped or killed.
      DB_MAX_LAG_S: String(REPLICA_DELAY_S * 2),
      // Generous, so no step of a busy machine outlasts the window.
      DB_STICKY_MS: '30000',
    })
    try {
      await stack.db.delay(REPLICA_DELAY_S)
      await waitUntil(async () => (await stack.replicaReadiness()).check?.status === 'ok', 15_000)
    } catch (error) {
      await stack.stop()
      throw error
    }
    return () => stack.stop()
  })

  /**
   * Whether a guest's search finds the user: a guest never wrote, so a
   * healthy replica answers (the search is plain SQL, no cache).
   */
  const guestFinds = async (username: string) => {
    const found = await stack.api('GET', `/api/users?q=${username}`)
    if (found.status !== 200) throw new Error(`search answered ${found.status}: ${found.text}`)
    return found.json.data.length === 1
  }

  /** Two new users with confirmed addresses: on the primary only, as everything written here. */
  const twoConfirmed = async () => {
    const users = [await stack.register(), await stack.register()]
    await stack.db.primary.query(
      `UPDATE ${DATABASE}.users SET email_verified_at = UTC_TIMESTAMP() WHERE id IN (?, ?)`,
      users.map((user) => user.id)
    )
    return users
  }

  test('guests read the lagging replica: a new user is not there yet', async ({ assert }) => {
    const user = await stack.register()
    assert.isFalse(await guestFinds(user.username))
  })

  test('welcome emails are sent, and their links confirm, with the replica behind and read-only', async ({
    assert,
  }) => {
    const user = await stack.register()
    const welcome = await stack.sink.waitFor(user.email, 'Welcome to G-Social', 30_000)
    const link = new URL(linkIn(welcome, '/verify-email/'))
    const confirmed = await fetch(stack.url(link.pathname), { redirect: 'manual' })
    assert.equal(confirmed.status, 302)
    const [row] = await stack.db.primary.query(
      `SELECT email_verified_at FROM ${DATABASE}.users WHERE id = ?`,
      [user.id]
    )
    assert.isNotNull(row.email_verified_at)
  }).timeout(90_000)

  test('register then sign in; update the profile then the edit form; accept a friend then /friends, across app replicas', async ({
    assert,
  }) => {
    const [sender, receiver] = await twoConfirmed()

    // Registered through one app replica, signed in through the other: credentials on the primary.
    const web = await WebSession.signIn(stack.url('', stack.other), receiver.username, PASSWORD)
    /** A page of the first app replica, with the session the other one signed in. */
    const onFirst = (path: string) =>
      fetch(stack.url(path), { headers: { cookie: web.cookieHeader }, redirect: 'manual' })

    const [profile] = await stack.db.primary.query(
      `SELECT id FROM ${DATABASE}.profiles WHERE user_id = ?`,
      [receiver.id]
    )
    const form = new FormData()
    form.set('_csrf', web.csrfToken)
    form.set('bio', 'Read from the primary')
    const saved = await web.fetch(`/profiles/${profile.id}?_method=PUT`, {
      method: 'POST',
      body: form,
    })
    assert.equal(saved.status, 302)
    const edit = await onFirst(`/profiles/${profile.id}/edit`)
    assert.equal(edit.status, 200)
    assert.include(await edit.text(), 'Read from the primary')

    const asked = await stack.api(
      'POST',
      '/api/friend-requests',
      { receiver_id: receiver.id },
      await stack.token(sender.username)
    )
    assert.equal(asked.status, 201, asked.text)
    const accepted = await web.submit(`/friend-requests/${asked.json.id}/accept`)
    assert.equal(accepted.status, 302)
    const friends = await (await onFirst('/friends')).text()
    assert.include(friends, sender.username)
    assert.notInclude(friends, 'No friends yet')

    // Still lagging: the pages above read the primary because this person wrote.
    assert.isFalse(await guestFinds(receiver.username))
  }).timeout(90_000)

  test('notifications are written and posts fanned out with the replica behind and read-only', async ({
    assert,
  }) => {
    const [author, friend] = await twoConfirmed()
    const [authorToken, friendToken] = [
      await stack.token(author.username),
      await stack.token(friend.username),
    ]
    const asked = await stack.api(
      'POST',
      '/api/friend-requests',
      { receiver_id: friend.id },
      authorToken
    )
    assert.equal(asked.status, 201, asked.text)

    const notifications = (recipientId: number) =>
      stack.db.primary.query(`SELECT type FROM ${DATABASE}.notifications WHERE recipient_id = ?`, [
        recipientId,
      ])
    await waitUntil(async () => (await notifications(friend.id)).length === 1, 30_000)

    const accepted = await stack.api(
      'POST',
      `/api/friend-requests/${asked.json.id}/accept`,
      undefined,
      friendToken
    )
    assert.equal(accepted.status, 200, accepted.text)
    await waitUntil(async () => (await notifications(author.id)).length === 1, 30_000)

    const posted = await stack.api('POST', '/api/posts', { text: 'Fanned out' }, authorToken)
    assert.equal(posted.status, 201, posted.text)
    await waitUntil(async () => {
      const [post] = await stack.db.primary.query(
        `SELECT fanned_out_at FROM ${DATABASE}.posts WHERE id = ?`,
        [posted.json.id]
      )
      return post.fanned_out_at !== null
    }, 30_000)
    const feed = await stack.api('GET', '/api/feed', undefined, friendToken)
    assert.equal(feed.status, 200, feed.text)
    assert.deepEqual(
      feed.json.data.map((post: { id: number }) => post.id),
      [posted.json.id]
    )
  }).timeout(90_000)

  test('a replica that stops replicating, then one that is killed, serves no reads; readiness stays 200 and names it', async ({
    assert,
  }) => {
    const user = await stack.register()
    assert.isFalse(await guestFinds(user.username))
    const address = `127.0.0.1:${stack.db.replica.port}`

    await stack.db.replica.query('STOP SLAVE SQL_THREAD')
    await waitUntil(
      async () => (await stack.replicaReadiness()).check?.status === 'warning',
      15_000
    )
    assert.isTrue(await guestFinds(user.username))

    await stack.db.replica.query('START SLAVE SQL_THREAD')
    await waitUntil(async () => (await stack.replicaReadiness()).check?.status === 'ok', 15_000)
    assert.isFalse(await guestFinds(user.username))

    await stack.db.replica.kill()
    await waitUntil(
      async () => (await stack.replicaReadiness()).check?.status === 'warning',
      15_000
    )
    const readiness = await stack.replicaReadiness()
    assert.equal(readiness.status, 200)
    assert.include(readiness.check.message, address)

    assert.isTrue(await guestFinds(user.username))
    const page = await fetch(stack.url(`/users/${user.id}`))
    assert.equal(page.status, 200)
    const web = await WebSession.signIn(stack.url(''), user.username, PASSWORD)
    assert.equal((await web.fetch('/feed')).status, 200)
    const feed = await stack.api('GET', '/api/feed', undefined, await stack.token(user.username))
    assert.equal(feed.status, 200, feed.text)
  }).timeout(90_000)
})
