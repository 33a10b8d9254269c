import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import User from '#models/user'
import MainSeeder, { DEMO_PASSWORD } from '#database/seeders/main_seeder'
import { isolateDatabase, route } from '#tests/helpers'

/** Runs the seeder and returns what it printed. */
async function seed() {
  const printed: string[] = []
  const log = console.log
  console.log = (line: string) => printed.push(line)
  try {
    await new MainSeeder(db.connection()).run()
  } finally {
    console.log = log
  }
  return printed
}

test.group('Demo world seeder', (group) => {
  isolateDatabase(group)
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })

  test('people with bios and pictures; Ada has friends, a feed with pictures, requests and notifications', async ({
    client,
    assert,
  }) => {
    const printed = await seed()
    assert.include(printed.at(-1), `Sign in as "ada"`)
    assert.include(printed.at(-1), `"${DEMO_PASSWORD}"`)

    const users = await User.query().preload('profile').orderBy('id')
    assert.lengthOf(users, 20)
    assert.isTrue(users.every((user) => user.emailVerified))
    assert.isTrue(users.every((user) => user.profile.bio.length > 0 && user.profile.profilePicture))
    const ada = users[0]
    assert.equal(ada.username, 'ada')

    const asAda = (name: string, params?: Record<string, unknown>) =>
      client.get(route(name, params)).withGuard('api').loginAs(ada)

    const friends = await asAda('api.users.friends', { id: ada.id })
    friends.assertStatus(200)
    assert.lengthOf(friends.body().data, 7)
    const friendIds = new Set(friends.body().data.map((friend: { id: number }) => friend.id))

    const feed = await asAda('api.feed')
    feed.assertStatus(200)
    const shown: { author: { id: number }; image: string | null; created_at: string }[] =
      feed.body().data
    assert.lengthOf(shown, 18)
    assert.isTrue(shown.every(({ author }) => author.id === ada.id || friendIds.has(author.id)))
    assert.isAtLeast(shown.filter((post) => post.image !== null).length, 4)
    assert.isTrue(shown.some(({ author }) => author.id === ada.id))
    const times = shown.map((post) => post.created_at)
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first, by id and by date')
    // Over the last weeks, not all at once.
    const days = (Date.parse(times[0]) - Date.parse(times.at(-1)!)) / 86_400_000
    assert.isAbove(days, 14)

    const picture = await client.get(shown.find((post) => post.image)!.image!)
    picture.assertStatus(200)
    assert.equal(picture.header('content-type'), 'image/webp')

    const incoming = await asAda('api.friend_requests.index')
    assert.lengthOf(incoming.body().data, 3)

    const notifications = await asAda('api.notifications.index')
    notifications.assertStatus(200)
    const types = notifications.body().data.map((note: { type: string }) => note.type)
    assert.sameMembers(types, [
      'friend_request',
      'friend_request',
      'friend_request',
      'friend_accepted',
      'friend_accepted',
    ])
    assert.equal(notifications.body().unread_count, 4)
  }).timeout(120_000)

  test('a second run adds nothing and says so', async ({ assert }) => {
    await seed()
    const counts = async () =>
      Promise.all(
        ['users', 'posts', 'friendships', 'friend_requests', 'notifications'].map(async (table) =>
          Number((await db.from(table).count('* as n'))[0].n)
        )
      )
    const before = await counts()
    const printed = await seed()
    assert.deepEqual(await counts(), before)
    assert.match(printed.join('\n'), /already there/)
  }).timeout(120_000)
})
