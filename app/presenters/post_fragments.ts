import { inject } from '@adonisjs/core'
import router from '@adonisjs/core/services/router'
import edge, { edgeGlobals } from 'edge.js'
import { CacheStores, type PostFragment } from '#cache/stores'
import { relativeTimeUntil, timeTag } from '#helpers/edge'
import { mentionedNames, type Mentions } from '#presenters/post_text'
import type { PostView } from '#presenters/post_presenter'

/** What a list shows of a post besides the viewer's parts: its shared HTML and its addresses. */
export interface PostParts {
  body: ReturnType<typeof edgeGlobals.html.safe>
  links: PostFragment['links']
}

/**
 * The part of a post's HTML that every viewer sees alike (its header: author,
 * time, audience; its text and picture), rendered once per post with Edge
 * (resources/views/fragments/post_body.edge) and kept in process
 * (app/cache/stores.ts `postFragments`), with the addresses of the post's
 * forms and links. A list of posts then renders only each viewer's parts
 * around them (components/posts/list.edge: the like button and its CSRF
 * token, the counts, the delete link). Visibility is decided before
 * (presentPosts): a fragment holds nothing about who may see it.
 *
 * An entry is kept with every value it shows (the author's names and
 * picture, the post's text, picture, audience and edit time) and serves only
 * a read of the same values, so an edit, a new picture or a renamed author
 * renders it again on every replica without a message; and only until its
 * relative time would read differently ("5 min ago" never outlives its
 * minute). Texts that mention someone are rendered for each list and not
 * kept: their links follow usernames, which change without the post changing.
 */
@inject()
export class PostFragments {
  constructor(private stores: CacheStores) {}

  /** The shared parts of each post, in order. */
  parts(posts: PostView[], mentions: Mentions): PostParts[] {
    const now = new Date()
    // One renderer for the list's misses: making one merges the shared locals.
    let renderer: ReturnType<typeof edge.createRenderer> | undefined
    const render = (state: Record<string, unknown>) =>
      (renderer ??= edge.createRenderer()).renderSync('fragments/post_body', state)
    return posts.map((post) => {
      const { html, links } = this.fragment(post, mentions, now, render)
      return { body: edgeGlobals.html.safe(html), links }
    })
  }

  fragment(
    post: PostView,
    mentions: Mentions,
    now = new Date(),
    render = (state: Record<string, unknown>) => edge.renderSync('fragments/post_body', state)
  ): PostFragment {
    const store = this.stores.postFragments
    const shown = shownBy(post)
    const kept = store.get(post.id)
    if (kept && now.getTime() < kept.until && sameValues(kept.shown, shown)) {
      store.hits++
      return kept
    }
    store.misses++
    const time = edgeGlobals.html.safe(timeTag(post.created_at, now))
    const html = render({ post, mentions, time })
    const until = relativeTimeUntil(new Date(post.created_at), now)
    const fragment = { shown, until, html, links: kept?.links ?? linksOf(post.id) }
    if (!mentionedNames(post.text).length) store.set(post.id, fragment)
    return fragment
  }
}

/** Every value the fragment shows but its time. */
function shownBy(post: PostView) {
  const { author } = post
  return [
    author.id,
    author.username,
    author.first_name,
    author.last_name,
    author.profile_picture,
    post.created_at,
    post.edited_at,
    post.audience,
    post.image,
    post.text,
  ]
}

function sameValues(kept: readonly unknown[], now: readonly unknown[]) {
  return kept.length === now.length && kept.every((value, index) => value === now[index])
}

function linksOf(id: number): PostFragment['links'] {
  return {
    like: router.makeUrl('posts.like', { id }, { qs: { _method: 'PUT' } }),
    unlike: router.makeUrl('posts.unlike', { id }, { qs: { _method: 'DELETE' } }),
    comments: `${router.makeUrl('posts.show', { id })}#comments`,
    delete: router.makeUrl('posts.delete', { id }),
  }
}
