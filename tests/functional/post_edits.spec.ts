import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { UserDirectory } from '#services/users/user_directory'
import type { ApiClient } from '@japa/api-client'
import { UserFactory } from '#database/factories/user_factory'
import type User from '#models/user'
import Post from '#models/post'
import { isolateDatabase, rawRequest, replicaCache, route } from '#tests/helpers'
import { isolateFeedState } from '#tests/posts_helpers'
import { befriend } from '#tests/friends'

async function postBy(client: ApiClient, user: User, text: string) {
  const response = await client
    .post(route('api.posts.store'))
    .withGuard('api')
    .loginAs(user)
    .json({ text })
  response.assertStatus(201)
  return response.body()
}

function patch(client: ApiClient, user: User, id: number, text: string | null) {
  return client
    .patch(route('api.posts.update', { id }))
    .withGuard('api')
    .loginAs(user)
    .json({ text })
}

test.group('Post edits / edited_at', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('null until the text changes; the same text again changes nothing', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const created = await postBy(client, user, 'first words')
    assert.isNull(created.edited_at)

    const same = await patch(client, user, created.id, '  first words ')
    same.assertStatus(200)
    assert.isNull(same.body().edited_at)
    assert.isNull((await Post.findOrFail(created.id)).editedAt)

    const changed = await patch(client, user, created.id, 'better words')
    changed.assertStatus(200)
    const editedAt: string = changed.body().edited_at
    assert.match(editedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.isAbove(Date.parse(editedAt), Date.parse(created.created_at) - 1)

    // Every list shows it, and an identical edit later keeps the first time.
    const again = await patch(client, user, created.id, 'better words')
    assert.equal(again.body().edited_at, editedAt)
    const reads = await Promise.all([
      client.get(route('api.posts.show', { id: created.id })),
      client.get(route('api.users.posts', { id: user.id })),
      client.get(route('api.feed')).withGuard('api').loginAs(user),
    ])
    assert.deepEqual(
      [
        reads[0].body().edited_at,
        reads[1].body().data[0].edited_at,
        reads[2].body().data[0].edited_at,
      ],
      [editedAt, editedAt, editedAt]
    )
  })

  test('an edit shows at once in a friend’s feed, the post page, the profile page (cached for visitors) and on another replica', async ({
    client,
    assert,
  }) => {
    const [author, friend] = await UserFactory.createMany(2)
    await befriend(author, friend)
    const created = await postBy(client, author, 'the old text')
    const replica = await replicaCache()
    try {
      const pages = {
        feed: async () => (await client.get(route('feed')).loginAs(friend)).text(),
        post: async () => (await client.get(route('posts.show', { id: created.id }))).text(),
        profile: async () => (await client.get(route('users.show', { id: author.id }))).text(),
        visitorProfile: async () =>
          (await rawRequest(route('users.show', { id: author.id }), {})).text(),
      }
      // Read everything first (twice for the visitor's page), so every cache holds the old text.
      for (const read of Object.values(pages)) assert.include(await read(), 'the old text')
      assert.include(await pages.visitorProfile(), 'the old text')
      replica.stores.latestPosts.set(author.id, [])

      ;(await patch(client, author, created.id, 'the new text')).assertStatus(200)

      for (const [name, read] of Object.entries(pages)) {
        const html = await read()
        assert.include(html, 'the new text', name)
        assert.notInclude(html, 'the old text', name)
        assert.match(
          html,
          /<time class="post-edited" datetime="[^"]+" title="Edited [^"]+">edited<\/time>/
        )
      }
      assert.isUndefined(replica.stores.latestPosts.get(author.id), 'dropped on the other replica')
    } finally {
      await replica.close()
    }
  })
})

test.group('Post edits / the web form', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('the author gets an Edit link and form; others neither', async ({ client, assert }) => {
    const [author, other] = await UserFactory.createMany(2)
    const created = await postBy(client, author, 'Hello & <welcome>')
    const edit = route('posts.edit', { id: created.id })

    const own = await client.get(route('posts.show', { id: created.id })).loginAs(author)
    assert.include(own.text(), `href="${edit}"`)
    const theirs = await client.get(route('posts.show', { id: created.id })).loginAs(other)
    assert.notInclude(theirs.text(), `href="${edit}"`)
    assert.notInclude((await client.get(route('posts.show', { id: created.id }))).text(), edit)

    const form = await client.get(edit).loginAs(author)
    form.assertStatus(200)
    assert.match(
      form.text(),
      /<textarea[^>]*name="text"[^>]*>Hello &amp; &lt;welcome&gt;<\/textarea>/
    )
    ;(await client.get(edit).loginAs(other)).assertStatus(403)
    ;(await client.get(edit).redirects(0)).assertStatus(302)
    ;(await client.get(route('posts.edit', { id: 999999 })).loginAs(author)).assertStatus(404)
  })

  test('saving goes back to the post, edited; a bad edit keeps the text and says why', async ({
    client,
    assert,
  }) => {
    const [author, other] = await UserFactory.createMany(2)
    const created = await postBy(client, author, 'draft')
    const edit = route('posts.edit', { id: created.id })
    const submit = (user: User, text: string) =>
      client
        .patch(route('posts.update', { id: created.id }))
        .form({ text })
        .header('referer', edit)
        .withCsrfToken()
        .loginAs(user)
        .redirects(0)

    const saved = await submit(author, 'final\r\nwords')
    saved.assertStatus(302)
    saved.assertHeader('location', route('posts.show', { id: created.id }))
    saved.assertFlashMessage('success', 'Your post is updated')
    assert.equal((await Post.findOrFail(created.id)).text, 'final\nwords')
    const page = await client.get(route('posts.show', { id: created.id }))
    assert.include(page.text(), 'final\nwords')
    assert.include(page.text(), '>edited</time>')

    const tooLong = 'x'.repeat(501)
    const refused = await submit(author, tooLong)
    refused.assertStatus(302)
    refused.assertHeader('location', edit)
    const back = await client.get(edit).loginAs(author).withFlashMessages(refused.flashMessages())
    assert.include(back.text(), 'The text can be at most 500 characters long')
    assert.include(back.text(), `>${tooLong}</textarea>`)

    const emptied = await submit(author, '   ')
    const backAgain = await client
      .get(edit)
      .loginAs(author)
      .withFlashMessages(emptied.flashMessages())
    assert.include(backAgain.text(), 'Write something or delete the post')
    assert.equal((await Post.findOrFail(created.id)).text, 'final\nwords')

    ;(await submit(other, 'not mine')).assertStatus(403)
  })
})

test.group('Links and mentions on pages', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('URLs and known @names are links, escaped; unknown names stay text; one lookup per list', async ({
    client,
    assert,
  }) => {
    const author = await UserFactory.merge({ username: 'writer' }).create()
    const bob = await UserFactory.merge({ username: 'bob_b' }).create()
    await postBy(client, author, 'Ask @BOB_B about https://example.com/a?x=1&y="2" (really).')
    await postBy(client, author, '@nobody_here <b>no</b> www.example.org')
    await postBy(client, author, 'me@bob_b.example is mail, @bob_b.')

    const lookups: string[][] = []
    const directory = await app.container.make(UserDirectory)
    const original = directory.idsByUsername
    app.container.swap(UserDirectory, () => {
      const counting = Object.create(directory)
      counting.idsByUsername = (names: string[]) => {
        lookups.push(names)
        return original.call(directory, names)
      }
      return counting
    })
    try {
      for (const html of [
        (await client.get(route('feed')).loginAs(author)).text(),
        await (await rawRequest(route('users.show', { id: author.id }), {})).text(),
      ]) {
        const profile = route('users.show', { id: bob.id })
        assert.include(
          html,
          `Ask <a href="${profile}" class="mention">@BOB_B</a> about <a href="https://example.com/a?x=1&amp;y=" rel="nofollow noopener ugc">https://example.com/a?x=1&amp;y=</a>&quot;2&quot; (really).`
        )
        assert.include(
          html,
          `@nobody_here &lt;b&gt;no&lt;/b&gt; <a href="http://www.example.org" rel="nofollow noopener ugc">www.example.org</a>`
        )
        assert.include(
          html,
          `me@bob_b.example is mail, <a href="${profile}" class="mention">@bob_b</a>.`
        )
      }
      assert.lengthOf(lookups, 2, 'one lookup for each page’s list')
      assert.sameMembers(lookups[0], ['bob_b', 'nobody_here', 'bob_b.'])
    } finally {
      app.container.restore(UserDirectory)
    }
  })
})
