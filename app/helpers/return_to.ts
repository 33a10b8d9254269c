import type { HttpContext } from '@adonisjs/core/http'

const KEY = 'return_to'

/**
 * Keeps the page a signed-out visitor asked for, and tells them to sign
 * in for it; `pageAfterSignIn` leads there once they have.
 */
export function rememberPageForSignIn({ request, session }: HttpContext) {
  if (!session || session.readonly) return
  session.put(KEY, request.url(true))
  session.flash('notice', 'Sign in to see that page')
}

/**
 * The page kept by `rememberPageForSignIn`, once: only a path of this
 * site (never `//elsewhere` or a full URL someone planted).
 */
export function pageAfterSignIn({ session }: HttpContext): string | null {
  const kept = session.pull(KEY, null)
  return typeof kept === 'string' && /^\/(?![/\\])/.test(kept) ? kept : null
}
