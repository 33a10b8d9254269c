import { Exception } from '@adonisjs/core/exceptions'

/**
 * "User not found": a 404 that names what is missing. Throw it where the
 * code knows (`new NotFoundException('User')`); the exception handler words
 * the framework's own 404s the same way (`notFoundMessage`).
 */
export default class NotFoundException extends Exception {
  static status = 404
  static code = 'E_NOT_FOUND'

  constructor(what: string) {
    super(`${what} not found`)
  }

  /** The same 404 with a whole sentence ("You are not friends with this user"). */
  static saying(message: string) {
    return Object.assign(new NotFoundException(''), { message })
  }
}

type NotFoundError = {
  code?: string
  message?: string
  model?: { name: string }
  status?: number
}

/** `FriendRequest` → "Friend request". */
const humanize = (name: string) => {
  const words = name.replace(/([a-z\d])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * The message of any 404, in people's words: Lucid's "Row not found"
 * becomes "Profile not found" (its model's name), an unmatched route says
 * which one, and a message already written for people stays.
 */
export function notFoundMessage(error: NotFoundError, method: string, url: string) {
  if (error.code === 'E_ROW_NOT_FOUND') {
    return error.model ? `${humanize(error.model.name)} not found` : 'Not found'
  }
  if (error.code === 'E_ROUTE_NOT_FOUND') {
    return `Not found: nothing answers ${method} ${url}`
  }
  return error.message ?? 'Not found'
}
