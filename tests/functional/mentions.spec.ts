import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { UserFactory } from '#database/factories/user_factory'
import type User from '#models/user'
import { defaultQueue } from '#jobs/bull_adapter'
import { PostAccess } from '#services/posts/post_access'
import { isolateDatabase, route } from '#tests/helpers'
import { isolateFeedState } from '#tests/posts_helpers'
import { runQueuedJobs } from '#tests/notification_jobs'

const as = <T extends { withGuard(guard: 'api'): any }>(request: T, user: User) =>
  request.withGuard('api').loginAs(user)

async function post(client: ApiClient, author: User, text: string): Promise<number> {
  const response = await as(client.post(route('api.posts.store')), author).json({ text })
  response.assertStatus(201)
  return response.body().id
}

/** The mention notifications written once the queued jobs ran: who heard, from whom, about which post. */
async function mentionsAfterJobs() {
  await runQueuedJobs()
  const rows = await db
    .from('notifications')
    .where('type', 'mention')
    .orderBy('id')
    .select('recipient_id', 'actor_id', 'post_id')
  return rows.map((row) => [row.recipient_id, row.actor_id, row.post_id])
}

test.group('Mentions notify', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)
  group.each.setup(async () => {
    await (await defaultQueue()).drain()
  })

  test('a new post notifies each user it mentions once, never its author, never unknown names', async ({
    client,
    assert,
  }) => {
    const [ada, bob, cy] = await UserFactory.merge([
      { username: 'ada_m' },
      { username: 'bob_m' },
      { username: 'cy_m' },
    ]).createMany(3)
    const postId = await post(
      client,
      ada,
      'Hi @bob_m and @BOB_M, @ada_m, @nobody_m, cy_m@mail.example'
    )
    assert.deepEqual(await mentionsAfterJobs(), [[bob.id, ada.id, postId]])

    const list = await as(client.get(route('api.notifications.index')), bob)
    list.assertStatus(200)
    assert.deepInclude(list.body().data[0], { type: 'mention', post_id: postId, read: false })
    assert.equal(list.body().data[0].actor.id, ada.id)
    assert.lengthOf((await as(client.get(route('api.notifications.index')), cy)).body().data, 0)
  })

  test('an edit notifies only the newly mentioned: once per post and user', async ({
    client,
    assert,
  }) => {
    const [ada, bob, cy] = await UserFactory.merge([
      { username: 'ada_e' },
      { username: 'bob_e' },
      { username: 'cy_e' },
    ]).createMany(3)
    const postId = await post(client, ada, 'Hello @bob_e')
    assert.deepEqual(await mentionsAfterJobs(), [[bob.id, ada.id, postId]])

    const edit = (text: string) =>
      as(client.patch(route('api.posts.update', { id: postId })), ada).json({ text })
    ;(await edit('Hello')).assertStatus(200)
    ;(await edit('Hello @bob_e and @cy_e')).assertStatus(200)
    assert.deepEqual(await mentionsAfterJobs(), [
      [bob.id, ada.id, postId],
      [cy.id, ada.id, postId],
    ])
  })

  test('a comment notifies those it mentions, about its post', async ({ client, assert }) => {
    const [ada, bob, cy] = await UserFactory.merge([
      { username: 'ada_c' },
      { username: 'bob_c' },
      { username: 'cy_c' },
    ]).createMany(3)
    const postId = await post(client, ada, 'A post')
    const comment = await as(
      client.post(route('api.posts.comments.store', { id: postId })),
      bob
    ).json({
      text: 'Look, @cy_c! (and me, @bob_c)',
    })
    comment.assertStatus(201)
    const mentions = (await mentionsAfterJobs()).filter(([, actor]) => actor === bob.id)
    assert.deepEqual(mentions, [[cy.id, bob.id, postId]])
  })

  test('someone who may not see the post is not notified', async ({ client, assert }) => {
    const [ada, bob, cy] = await UserFactory.merge([
      { username: 'ada_v' },
      { username: 'bob_v' },
      { username: 'cy_v' },
    ]).createMany(3)
    // One PostAccess serves the process (providers/shared_instances_provider.ts):
    // hidden from Bob there, the post is hidden from him wherever it is asked.
    const access = await app.container.make(PostAccess)
    access.canSee = async (viewer: { id: number } | null) => viewer?.id !== bob.id
    try {
      const postId = await post(client, ada, '@bob_v @cy_v')
      assert.deepEqual(await mentionsAfterJobs(), [[cy.id, ada.id, postId]])
    } finally {
      Reflect.deleteProperty(access, 'canSee')
    }
  })
})
