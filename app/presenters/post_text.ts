import app from '@adonisjs/core/services/app'
import { UserDirectory } from '#services/users/user_directory'
import { escapeHtml } from '#helpers/text'
import { profileUrl } from '#helpers/route_urls'

/**
 * People's text (posts, comments) as pages show it: escaped, with links and
 * mentions made clickable. The one formatter every page uses (the Edge
 * globals `mentionsIn` and `linkedText`, start/view.ts); notifications of
 * mentions read names with `mentionedNames` too, so a name that links is a
 * name that notifies.
 *
 * The raw text is cut into pieces first and each piece is escaped on its
 * own, so no character of the text can open a tag or leave an attribute.
 */

/** Known usernames (lowercase) → user id, for the texts of one page. */
export type Mentions = ReadonlyMap<string, number>

/**
 * A link (`http://`, `https://` or `www.`, not glued to a word before it,
 * up to a space or a character no URL holds unescaped) or a mention (`@`
 * and username characters, not part of an email address or a longer word).
 */
const TOKEN =
  /(?<![\p{L}\p{N}_])(?:https?:\/\/|www\.)[^\s<>"]+|(?<![\p{L}\p{N}._+\-@/])@[\p{L}\p{N}._+\-]+/giu

/** What ends a sentence rather than a URL: left out of the link. */
const TRAILING = /[.,:;!?'*]+$/
/** A username may end with these, but a sentence often does: both are tried. */
const NAME_TRAILING = /[.+\-]+$/

/** The URL without trailing punctuation, and a closing bracket it never opened. */
function trimUrl(url: string) {
  let trimmed = url
  for (;;) {
    const before = trimmed
    trimmed = trimmed.replace(TRAILING, '')
    for (const [open, close] of ['()', '[]', '{}']) {
      if (trimmed.endsWith(close) && count(trimmed, open) < count(trimmed, close)) {
        trimmed = trimmed.slice(0, -1)
      }
    }
    if (trimmed === before) return trimmed
  }
}

const count = (text: string, char: string) => text.split(char).length - 1

/** A URL as written must have something after its scheme or `www.`. */
const hasHost = (url: string) => /^(?:https?:\/\/|www\.)[^\s./?#]/i.test(url)

/** The names a text mentions, as written and without trailing punctuation (lowercase). */
export function mentionedNames(text: string | null | undefined): string[] {
  const names = new Set<string>()
  for (const [token] of (text ?? '').matchAll(TOKEN)) {
    if (token[0] !== '@') continue
    const name = token.slice(1).toLowerCase()
    names.add(name)
    const trimmed = name.replace(NAME_TRAILING, '')
    if (trimmed) names.add(trimmed)
  }
  return [...names]
}

/** Every name mentioned in `texts`, resolved in one query (none without a mention). */
export async function mentionsIn(texts: (string | null | undefined)[]): Promise<Mentions> {
  const names = [...new Set(texts.flatMap(mentionedNames))]
  if (!names.length) return new Map()
  const directory = await app.container.make(UserDirectory)
  return directory.idsByUsername(names)
}

/**
 * The text as HTML: escaped, URLs linked (`rel="nofollow noopener ugc"`,
 * `www.` ones to `http://`), `@name` linked to the profile when `mentions`
 * knows the name. Line breaks stay (the page's CSS keeps them).
 */
export function linkedText(text: string | null | undefined, mentions: Mentions = new Map()) {
  if (!text) return ''
  let html = ''
  let last = 0
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0]
    const [linked, rest] = token[0] === '@' ? mentionLink(token, mentions) : urlLink(token)
    html += escapeHtml(text.slice(last, match.index)) + linked + escapeHtml(rest)
    last = match.index + token.length
  }
  return html + escapeHtml(text.slice(last))
}

/** The link (or the plain token) and what follows it that is not part of it. */
function urlLink(token: string): [string, string] {
  const url = trimUrl(token)
  if (!hasHost(url)) return [escapeHtml(token), '']
  const href = /^www\./i.test(url) ? `http://${url}` : url
  return [
    `<a href="${escapeHtml(href)}" rel="nofollow noopener ugc">${escapeHtml(url)}</a>`,
    token.slice(url.length),
  ]
}

function mentionLink(token: string, mentions: Mentions): [string, string] {
  const found = resolveMention(token, mentions)
  if (!found) return [escapeHtml(token), '']
  const { name, userId } = found
  return [
    `<a href="${profileUrl(userId)}" class="mention">@${escapeHtml(name)}</a>`,
    token.slice(1 + name.length),
  ]
}

/** The user an `@name` token names: as written, else without its trailing punctuation. */
function resolveMention(token: string, mentions: Mentions) {
  const written = token.slice(1)
  for (const name of [written, written.replace(NAME_TRAILING, '')]) {
    const userId = name && mentions.get(name.toLowerCase())
    if (userId) return { name, userId }
  }
  return null
}

/** The users `text` mentions, each once: exactly those its links go to. */
export function mentionedUserIds(text: string | null | undefined, mentions: Mentions) {
  const ids = new Set<number>()
  for (const [token] of (text ?? '').matchAll(TOKEN)) {
    const found = token[0] === '@' && resolveMention(token, mentions)
    if (found) ids.add(found.userId)
  }
  return [...ids]
}
