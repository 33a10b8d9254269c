import type { HttpContext } from '@adonisjs/core/http'

const KEY = 'return_to'
/** Longer addresses are not kept: a guest's session is a cookie, and must stay small. */
const MAX_LENGTH = 512
/** A sign-in later than this is not the one the page asked for: it goes to the feed. */
const FRESH_FOR_MS = 15 * 60_000

/**
 * Keeps the page a signed-out visitor asked for, and tells them to sign
 * in for it; `pageAfterSignIn` leads there once they have.
 */
export function rememberPageForSignIn({ request, session }: HttpContext) {
  if (!session || session.readonly) return
  const url = request.url(true)
  if (url.length <= MAX_LENGTH) session.put(KEY, { url, at: Date.now() })
  session.flash('notice', 'Sign in to see that page')
}

/**
 * The page kept by `rememberPageForSignIn`, once, if it was asked for in
 * the last minutes: only a path of this site (never `//elsewhere`).
 */
export function pageAfterSignIn({ session }: HttpContext): string | null {
  const kept = session.pull(KEY, null)
  if (!kept || typeof kept.url !== 'string' || !(Date.now() - kept.at < FRESH_FOR_MS)) return null
  return /^\/(?![/\\])/.test(kept.url) ? kept.url : null
}
