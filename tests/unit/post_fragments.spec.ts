import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { CacheStores } from '#cache/stores'
import { PostFragments } from '#presenters/post_fragments'
import type { PostView, ViewedPost } from '#presenters/post_presenter'

const post = (changes: Partial<PostView> = {}): PostView => ({
  id: 7,
  author: {
    id: 1,
    username: 'ada',
    first_name: 'Ada',
    last_name: 'Lovelace',
    profile_picture: '/media/ada.webp',
  },
  text: 'Hello <world> www.example.com',
  image: null,
  likes_count: 0,
  comments_count: 0,
  audience: 'public',
  created_at: '2026-01-01T10:00:00.000+00:00',
  updated_at: '2026-01-01T10:00:00.000+00:00',
  edited_at: null,
  ...changes,
})

const noMentions = new Map<string, number>()
const bodyOf = (fragments: PostFragments, ...args: Parameters<PostFragments['fragment']>) =>
  fragments.fragment(...args).html
const NOW = new Date('2026-03-01T12:00:00.000Z')

test.group('PostFragments: the part of a post every viewer sees alike', (group) => {
  // The fragment links to the author's profile and the post page.
  group.setup(async () => {
    await import('#start/routes')
    router.commit()
  })

  test('rendered once, then served from the store while what it shows is the same', ({
    assert,
  }) => {
    const stores = new CacheStores()
    const fragments = new PostFragments(stores)

    const first = bodyOf(fragments, post(), noMentions, NOW)
    // Another viewer's copy of the same post (a new object from the post cache).
    const second = bodyOf(fragments, post(), noMentions, NOW)

    assert.equal(second, first)
    assert.deepEqual([stores.postFragments.hits, stores.postFragments.misses], [1, 1])
    assert.include(first, '<a href="/users/1" class="post-author">')
    assert.include(first, '<strong class="post-name">Ada Lovelace</strong>')
    assert.include(first, '<a class="post-date" href="/posts/7">')
    assert.include(first, 'Hello &lt;world&gt; <a href="http://www.example.com"')
    // Nothing of a viewer's: no form, no token, no like state.
    assert.notInclude(first, '<form')
    assert.notInclude(first, 'csrf')
    assert.notInclude(first, 'Unlike')
    assert.deepEqual(fragments.fragment(post(), noMentions, NOW).links, {
      like: '/posts/7/like?_method=PUT',
      unlike: '/posts/7/like?_method=DELETE',
      comments: '/posts/7#comments',
      delete: '/posts/7/delete',
    })
  })

  test('an edit, the audience, a picture, the author and the passing time each render it again', ({
    assert,
  }) => {
    const stores = new CacheStores()
    const fragments = new PostFragments(stores)
    bodyOf(fragments, post(), noMentions, NOW)

    const edited = bodyOf(
      fragments,
      post({ text: 'Second thoughts', edited_at: '2026-01-02T08:00:00.000+00:00' }),
      noMentions,
      NOW
    )
    assert.include(edited, 'Second thoughts')
    assert.include(edited, 'class="post-edited"')

    assert.include(
      bodyOf(fragments, post({ audience: 'friends' }), noMentions, NOW),
      '<span class="post-audience">Friends only</span>'
    )
    assert.include(
      bodyOf(fragments, post({ image: '/media/posts/p.webp' }), noMentions, NOW),
      '<img class="post-image" src="/media/posts/p.webp"'
    )
    const renamed = post()
    renamed.author = {
      ...renamed.author,
      first_name: 'Augusta',
      profile_picture: '/media/new.webp',
    }
    const shown = bodyOf(fragments, renamed, noMentions, NOW)
    assert.include(shown, 'Augusta Lovelace')
    assert.include(shown, 'src="/media/new.webp"')

    const recent = post({ created_at: '2026-03-01T11:55:00.000+00:00' })
    assert.include(bodyOf(fragments, recent, noMentions, NOW), '>5 min ago</time>')
    assert.include(
      bodyOf(fragments, recent, noMentions, new Date('2026-03-01T12:01:00.000Z')),
      '>6 min ago</time>'
    )
    assert.equal(stores.postFragments.hits, 0)
  })

  test('a text that mentions someone is rendered for each page, never kept', ({ assert }) => {
    const stores = new CacheStores()
    const fragments = new PostFragments(stores)
    const mentioning = post({ text: 'Thanks @grace' })

    const linked = bodyOf(fragments, mentioning, new Map([['grace', 2]]), NOW)
    const unknown = bodyOf(fragments, mentioning, noMentions, NOW)

    assert.include(linked, '<a href="/users/2" class="mention">@grace</a>')
    assert.notInclude(unknown, 'class="mention"')
    assert.equal(stores.postFragments.size, 0)
  })
})

test.group("PostFragments.items: a list of posts with each viewer's parts", (group) => {
  group.setup(async () => {
    await import('#start/routes')
    router.commit()
  })

  const viewed = (changes: Partial<PostView>, viewer: ViewedPost['viewer']): ViewedPost => ({
    ...post(changes),
    viewer,
  })

  test("a signed-in viewer gets a like form with the page's CSRF field; a visitor gets none", async ({
    assert,
  }) => {
    const fragments = new PostFragments(new CacheStores())
    const posts = [
      viewed({ id: 7, likes_count: 1, comments_count: 2 }, { liked: true, mine: false }),
      viewed({ id: 8, likes_count: 0, comments_count: 1 }, { liked: false, mine: true }),
    ]

    const signedIn = await fragments.items(posts, 't0ken')
    const [first, second] = signedIn.split('</article>')
    assert.include(first, '<article class="card post" id="post-7">')
    assert.include(first, '<form method="POST" action="/posts/7/like?_method=DELETE"')
    assert.include(first, '<input type="hidden" name="_csrf" value="t0ken">')
    assert.include(first, 'aria-pressed="true" data-like-button>Unlike</button>')
    assert.include(first, '>1 like</span>')
    assert.include(first, '<a class="comments-link" href="/posts/7#comments">2 comments</a>')
    assert.notInclude(first, 'Delete this post')
    assert.include(second, 'action="/posts/8/like?_method=PUT"')
    assert.include(second, 'aria-pressed="false" data-like-button>Like</button>')
    assert.include(second, '>0 likes</span>')
    assert.include(second, '>1 comment</a>')
    assert.include(second, '<a href="/posts/8/delete">Delete this post</a>')

    const visitor = await fragments.items(posts, null)
    assert.notInclude(visitor, '<form')
    assert.notInclude(visitor, '_csrf')
    assert.include(visitor, '>1 like</span>')
    // The shared part is the same for both.
    assert.include(visitor, fragments.fragment(posts[0], noMentions).html)
  })
})
