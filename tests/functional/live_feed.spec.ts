import { test } from '@japa/runner'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { feedChannel } from '#services/notifications/live_streams'
import { withOpenStreams } from '#services/notifications/presence'
import { SseStream, WebSession } from '#tests/integration/helpers/sse'
import { isolateDatabase, route, waitUntil } from '#tests/helpers'
import { drainFanOuts, isolateFeedState } from '#tests/posts_helpers'
import { befriend } from '#tests/friends'

const base = () => `http://${process.env.HOST}:${process.env.PORT}`

test.group('Live feed: a new post announced on the readers’ own feed channels', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)
  const opened: SseStream[] = []
  group.each.setup(() => () => opened.splice(0).forEach((stream) => stream.close()))

  /** A signed-in browser on its feed page (which builds the timeline), listening. */
  async function listening(user: { id: number; username: string }) {
    const browser = await WebSession.signIn(base(), user.username, FACTORY_PASSWORD)
    const page = await browser.fetch('/feed')
    if (page.status !== 200) throw new Error(`GET /feed answered ${page.status}`)
    const stream = await browser.listen(feedChannel(user.id), user.id)
    opened.push(stream)
    return stream
  }

  test('the fan-out tells the author’s and friends’ open feeds, no one else’s', async ({
    client,
    assert,
  }) => {
    const [author, friend, offline, stranger] = await UserFactory.createMany(4)
    await befriend(author, friend)
    await befriend(author, offline)
    const [authorStream, friendStream, strangerStream] = await Promise.all(
      [author, friend, stranger].map(listening)
    )
    assert.sameMembers(
      await withOpenStreams([author.id, friend.id, offline.id, stranger.id]),
      [author.id, friend.id, stranger.id],
      'only users with a stream open are published to'
    )

    const created = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(author)
      .json({ text: 'hello friends' })
    created.assertStatus(201)
    const postId = created.body().id
    // What the worker does for the post.
    await drainFanOuts()

    for (const [user, stream] of [
      [author, authorStream],
      [friend, friendStream],
    ] as const) {
      const { payload } = await stream.waitForMessage(feedChannel(user.id), () => true)
      assert.deepEqual(payload, { post_ids: [postId] })
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.lengthOf(strangerStream.messages(feedChannel(stranger.id)), 0)

    // Online until their last stream closes, not until its lease would have run out.
    const secondTab = await listening(friend)
    friendStream.close()
    strangerStream.close()
    await waitUntil(async () => !(await withOpenStreams([stranger.id])).length)
    assert.deepEqual(await withOpenStreams([friend.id, stranger.id]), [friend.id])
    secondTab.close()
    await waitUntil(async () => !(await withOpenStreams([friend.id])).length)
  }).timeout(30_000)
})
