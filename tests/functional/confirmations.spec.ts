import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { UserFactory } from '#database/factories/user_factory'
import { PostService } from '#services/posts/post_service'
import { befriend } from '#tests/friends'
import { isolateFeedState } from '#tests/posts_helpers'
import { isolateDatabase, route } from '#tests/helpers'

/**
 * What cannot be undone asks first, on a page whose form does it: the
 * buttons on posts and profiles lead there (no JavaScript needed).
 */
test.group('Web / confirmation pages', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('"Delete this post?" for its author only; its form deletes', async ({ client, assert }) => {
    const [author, other] = await UserFactory.createMany(2)
    const post = await (
      await app.container.make(PostService)
    ).create(author.id, {
      text: 'Keep or delete',
    })
    const confirm = route('posts.delete', { id: post.id })

    const feed = await client.get(route('feed')).loginAs(author)
    assert.include(feed.text(), `href="${confirm}"`)

    const page = await client.get(confirm).loginAs(author)
    page.assertStatus(200)
    assert.include(page.text(), 'Delete this post?')
    assert.include(page.text(), 'Keep or delete')
    assert.include(page.text(), `action="/posts/${post.id}?_method=DELETE"`)
    assert.include(page.text(), `href="${route('posts.show', { id: post.id })}"`) // Cancel

    ;(await client.get(confirm).loginAs(other)).assertStatus(403)
    ;(await client.get(route('posts.delete', { id: post.id + 100 })).loginAs(author)).assertStatus(
      404
    )
    const visitor = await client.get(confirm).redirects(0)
    visitor.assertStatus(302)
    visitor.assertHeader('location', route('login'))

    const deleted = await client
      .delete(route('posts.destroy', { id: post.id }))
      .loginAs(author)
      .withCsrfToken()
      .redirects(0)
    deleted.assertStatus(302)
    deleted.assertHeader('location', route('feed'))
    ;(await client.get(route('posts.show', { id: post.id }))).assertStatus(404)
  })

  test('"Unfriend …?" while friends; its form unfriends and lands on their profile', async ({
    client,
    assert,
  }) => {
    // Fixed names: the page is searched for them as text (a random "O'Keefe" is escaped there).
    const [ada, bob] = await UserFactory.merge([
      {},
      { firstName: 'Bruno', lastName: 'Bishop' },
    ]).createMany(2)
    await befriend(ada, bob)
    const confirm = route('friends.unfriend', { user_id: bob.id })

    const page = await client.get(confirm).loginAs(ada)
    page.assertStatus(200)
    assert.include(page.text(), 'Unfriend Bruno Bishop?')
    assert.include(page.text(), `action="/friends/${bob.id}?_method=DELETE"`)

    const done = await client
      .delete(route('friends.destroy', { user_id: bob.id }))
      .header('referer', confirm)
      .loginAs(ada)
      .withCsrfToken()
      .redirects(0)
    done.assertStatus(302)
    done.assertHeader('location', route('users.show', { id: bob.id }))

    // No longer friends: the confirmation sends to the profile, which says how they stand.
    const again = await client.get(confirm).loginAs(ada).redirects(0)
    again.assertStatus(302)
    again.assertHeader('location', route('users.show', { id: bob.id }))
    ;(
      await client.get(route('friends.unfriend', { user_id: bob.id + 100 })).loginAs(ada)
    ).assertStatus(404)
  })
})
