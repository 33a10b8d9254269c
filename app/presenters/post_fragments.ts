import { inject } from '@adonisjs/core'
import { CacheStores, type PostFragment } from '#cache/stores'
import { avatarTag, exactTime, relativeTimeUntil, timeTag } from '#helpers/edge'
import { profileUrl, urlById } from '#helpers/route_urls'
import { counted, escapeHtml } from '#helpers/text'
import { linkedText, mentionedNames, mentionsIn, type Mentions } from '#presenters/post_text'
import type { PostView, ViewedPost } from '#presenters/post_presenter'

/**
 * The part of a post's HTML that every viewer sees alike (its header: author,
 * time, audience; its text and picture), rendered once per post (`postBody`)
 * and kept in process
 * (app/cache/stores.ts `postFragments`), with the addresses of the post's
 * forms and links. A list of posts then writes only each viewer's parts
 * around them (`items`: the like button and its CSRF token, the counts, the
 * delete link). Visibility is decided before
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

  /**
   * The posts of a list as HTML, each its shared part and around it the
   * viewer's (components/posts/list.edge gives the list's frame): the like
   * button (a form with the page's CSRF token, `csrfToken`, for a signed-in
   * viewer; null for a visitor, who gets no form), the counts, the delete
   * link for the viewer's own posts.
   */
  async items(posts: ViewedPost[], csrfToken: string | null) {
    const mentions = await mentionsIn(posts.map((post) => post.text))
    const now = new Date()
    const token = csrfToken === null ? null : escapeHtml(csrfToken)
    let html = ''
    for (const post of posts) {
      const { html: body, links } = this.fragment(post, mentions, now)
      const { liked, mine } = post.viewer
      const like =
        token === null
          ? ''
          : `
    <form method="POST" action="${liked ? links.unlike : links.like}" class="like-form" data-like-form>
      <input type="hidden" name="_csrf" value="${token}">
      <button type="submit" class="link-button like-button" aria-pressed="${liked}" data-like-button>${liked ? 'Unlike' : 'Like'}</button>
    </form>`
      html += `<article class="card post" id="post-${post.id}">
  ${body}
  <div class="post-reactions">${like}
    <span class="like-count" data-like-count>${counted(post.likes_count, 'like')}</span>
    <a class="comments-link" href="${links.comments}">${counted(post.comments_count, 'comment')}</a>
  </div>${mine ? `\n  <p class="post-actions"><a href="${links.delete}">Delete this post</a></p>` : ''}
</article>
`
    }
    return html
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

const postUrl = urlById('posts.show')
const likeUrl = urlById('posts.like', { qs: { _method: 'PUT' } })
const unlikeUrl = urlById('posts.unlike', { qs: { _method: 'DELETE' } })
const deleteUrl = urlById('posts.delete')

/**
 * The shared HTML itself: the author (picture, names, link), the time and
 * whether it was edited (`time`: the post's <time> tag), "Friends only",
 * the text with its links and mentions, the picture. Written here rather
 * than as an Edge template, like the viewer's parts around it (`items`): a
 * page renders them for each of its twenty posts, and a template's render
 * per post was a sixth of a profile page that missed.
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
