/*
| Helpers for Edge templates. Pages receive plain data (the same user data
| the API serializes), so dates arrive as ISO strings.
*/
import edge, { edgeGlobals } from 'edge.js'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { avatarTag, listComponentsOnce, resolvePathsOnce, timeTag } from '#helpers/edge'
import { fixedUrl } from '#helpers/route_urls'
import { linkedText, mentionsIn, type Mentions } from '#presenters/post_text'
import { PostFragments } from '#presenters/post_fragments'
import type { ViewedPost } from '#presenters/post_presenter'

// In development each render still sees new components and templates.
if (app.inProduction) {
  listComponentsOnce(edge)
  resolvePathsOnce(edge)
}

/*
| A page of posts formats a date per post, and the same posts reach many
| readers: the last few thousand answers are kept (Luxon's toFormat is a
| good part of a page's render otherwise).
*/
const FORMATTED_MAX = 5000
const formatted = new Map<string, string>()
edge.global('formatDate', (iso: string, format: string) => {
  const key = `${format}|${iso}`
  let text = formatted.get(key)
  if (text === undefined) {
    text = DateTime.fromISO(iso, { zone: 'utc' }).toFormat(format)
    if (formatted.size >= FORMATTED_MAX) formatted.delete(formatted.keys().next().value!)
    formatted.set(key, text)
  }
  return text
})

const { safe } = edgeGlobals.html

/*
| A route's URL in a template. The router looks a route up and walks its
| pattern on every call: those that take no parameter are built once
| (app/helpers/route_urls.ts); the rest go to the router as before.
*/
edge.global('route', (...args: Parameters<typeof router.makeUrl>) =>
  args.length > 1 ? router.makeUrl(...args) : fixedUrl(args[0])
)

/** When something happened: a relative time, the exact one on hover (app/helpers/edge.ts). */
edge.global('timeAgo', (iso: string) => safe(timeTag(iso)))

/**
 * A round picture (app/helpers/edge.ts). A function rather than a component:
 * a component call copies the page's whole state, and a page of posts shows
 * one picture per post.
 */
edge.global('avatar', (props: Parameters<typeof avatarTag>[0]) => safe(avatarTag(props)))

/*
| People's text with its links and mentions (app/presenters/post_text.ts):
| a list resolves the names of all its texts once, `await mentionsIn(texts)`,
| then shows each with `linkedText(text, mentions)`.
*/
edge.global('mentionsIn', mentionsIn)
edge.global('linkedText', (text: string | null, mentions?: Mentions) =>
  safe(linkedText(text, mentions))
)

/*
| The posts of a list, each what every viewer sees alike (rendered once and
| kept) with the viewer's parts around it (app/presenters/post_fragments.ts):
| `await postItems(posts, auth?.user ? csrfToken : null)`.
*/
edge.global('postItems', async (posts: ViewedPost[], csrfToken: string | null) => {
  const fragments = await app.container.make(PostFragments)
  return safe(await fragments.items(posts, csrfToken))
})

/**
 * Edge's text helpers that no template here calls. Every component call
 * copies the page's whole state, the globals in it (edge.js
 * `getComponentState`), and V8 copies an object of that many keys several
 * times slower: a signed-in profile page rendered in ~320 µs with all 34
 * globals and ~110 µs without these (BENCHMARKS.md, log 52). A template
 * that needs one adds it back here (tests/unit/edge_helpers.spec.ts checks
 * that none calls a helper listed).
 */
export const UNUSED_EDGE_HELPERS = new Set([
  'inspect',
  'truncate',
  'excerpt',
  'nl2br',
  'camelCase',
  'snakeCase',
  'dashCase',
  'pascalCase',
  'capitalCase',
  'sentenceCase',
  'dotCase',
  'noCase',
  'titleCase',
  'pluralize',
  'sentence',
  'prettyMs',
  'toMs',
  'prettyBytes',
  'toBytes',
  'ordinal',
])
edge.globals = Object.fromEntries(
  Object.entries(edge.globals).filter(([name]) => !UNUSED_EDGE_HELPERS.has(name))
)
