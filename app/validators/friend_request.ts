import vine from '@vinejs/vine'
import { wholeNumber } from '#validators/numbers'
import { pageFields } from '#validators/page'

export const FRIEND_REQUEST_DIRECTIONS = ['incoming', 'outgoing'] as const

/** POST /api/friend-requests and the profile page's "Add friend" form. */
export const sendFriendRequestValidator = vine.compile(
  vine.object({
    receiver_id: wholeNumber().min(1),
  })
)

/** GET /api/friend-requests: a page of pending requests, incoming by default. */
export const friendRequestListValidator = vine.compile(
  vine.object({
    direction: vine.enum(FRIEND_REQUEST_DIRECTIONS).optional(),
    ...pageFields,
  })
)

/** GET /api/users and /people: a page of people, found by a name prefix. */
export const peopleSearchValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(100).optional(),
    ...pageFields,
  })
)

/** GET /friends: all three lists, or one of them (`list`) paged on. */
export const friendsPageValidator = vine.compile(
  vine.object({
    list: vine.enum(['incoming', 'outgoing', 'friends'] as const).optional(),
    ...pageFields,
  })
)
