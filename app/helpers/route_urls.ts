import router from '@adonisjs/core/services/router'
import type { MakeUrlOptions } from '@adonisjs/core/types/http'

/** Digits no real id reaches, so they mark where an id goes in a built URL. */
const MARK = '987654321987654321'

/**
 * A route's URL for any id, built by the router once: lists that link
 * every one of their posts ask for the same few routes per post, and
 * `router.makeUrl` looks the route up and walks its pattern each time.
 * `urlById('posts.show')(7)` is `router.makeUrl('posts.show', { id: 7 })`.
 */
export function urlById(name: string, options?: MakeUrlOptions) {
  let parts: string[] | undefined
  return (id: number) => {
    parts ??= router.makeUrl(name, { id: MARK }, options).split(MARK)
    return parts.join(String(id))
  }
}

const fixedUrls = new Map<string, string>()

/**
 * The URL of a route that takes no parameter, built by the router once
 * (routes are fixed once the app has booted): a page's layout links a
 * dozen of them.
 */
export function fixedUrl(name: string) {
  let url = fixedUrls.get(name)
  if (url === undefined) fixedUrls.set(name, (url = router.makeUrl(name)))
  return url
}

/** A user's profile page: posts' authors and mentions link to it. */
export const profileUrl = urlById('users.show')
