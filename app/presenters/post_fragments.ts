import { inject } from '@adonisjs/core'
import { edgeGlobals } from 'edge.js'
import { CacheStores, type PostFragment } from '#cache/stores'
import { avatarTag, exactTime, relativeTimeUntil, timeTag } from '#helpers/edge'
import { urlById } from '#helpers/route_urls'
import { escapeHtml, linkedText, mentionedNames, type Mentions } from '#presenters/post_text'
import type { PostView } from '#presenters/post_presenter'

/** What a list shows of a post besides the viewer's parts: its shared HTML and its addresses. */
export interface PostParts {
  body: ReturnType<typeof edgeGlobals.html.safe>
  links: PostFragment['links']
}

/**
 * The part of a post's HTML that every viewer sees alike (its header: author,
 * time, audience; its text and picture), rendered once per post (`postBody`)
 * and kept in process
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
    return posts.map((post) => {
      const { html, links } = this.fragment(post, mentions, now)
      return { body: edgeGlobals.html.safe(html), links }
    })
  }

  fragment(post: PostView, mentions: Mentions, now = new Date()): PostFragment {
    const store = this.stores.postFragments
    const shown = shownBy(post)
    const kept = store.get(post.id)
    if (kept && now.getTime() < kept.until && sameValues(kept.shown, shown)) {
      store.hits++
      return kept
    }
    store.misses++
    const html = postBody(post, mentions, timeTag(post.created_at, now))
    const until = relativeTimeUntil(new Date(post.created_at), now)
    const fragment = { shown, until, html, links: kept?.links ?? linksOf(post.id) }
    if (!mentionedNames(post.text).length) store.set(post.id, fragment)
    return fragment
  }
}

const profileUrl = urlById('users.show')
const postUrl = urlById('posts.show')
const likeUrl = urlById('posts.like', { qs: { _method: 'PUT' } })
const unlikeUrl = urlById('posts.unlike', { qs: { _method: 'DELETE' } })
const deleteUrl = urlById('posts.delete')

/**
 * The shared HTML itself: the author (picture, names, link), the time and
 * whether it was edited (`time`: the post's <time> tag), "Friends only",
 * the text with its links and mentions, the picture. Written here rather
 * than as an Edge template: a page that misses renders it for each of its
 * twenty posts, and a template's render per post was a sixth of such a page.
 */
function postBody(post: PostView, mentions: Mentions, time: string) {
  const { author } = post
  const edited = post.edited_at
    ? ` <time class="post-edited" datetime="${escapeHtml(post.edited_at)}" title="Edited ${exactTime(new Date(post.edited_at))}">edited</time>`
    : ''
  const audience =
    post.audience === 'friends' ? '\n  <span class="post-audience">Friends only</span>' : ''
  const text = post.text ? `\n<p class="post-text">${linkedText(post.text, mentions)}</p>` : ''
  const image = post.image
    ? `\n<img class="post-image" src="${escapeHtml(post.image)}" alt="Picture posted by ${escapeHtml(author.username)}" loading="lazy" decoding="async">`
    : ''
  return `<header class="post-header">
  <a href="${profileUrl(author.id)}" class="post-author">
    ${avatarTag({ src: author.profile_picture, alt: '', size: 40 })}
    <span>
      <strong class="post-name">${escapeHtml(author.first_name)} ${escapeHtml(author.last_name)}</strong>
      <span class="username">@${escapeHtml(author.username)}</span>
    </span>
  </a>
  <a class="post-date" href="${postUrl(post.id)}">${time}${edited}</a>${audience}
</header>${text}${image}
`
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
    like: likeUrl(id),
    unlike: unlikeUrl(id),
    comments: `${postUrl(id)}#comments`,
    delete: deleteUrl(id),
  }
}
