import vine from '@vinejs/vine'
import { wholeNumber } from '#validators/numbers'
import { pageFields } from '#validators/page'

export const listNotificationsValidator = vine.compile(vine.object(pageFields))

/** `ids` absent: all of them. At most a page's worth of ids at once. */
export const markNotificationsReadValidator = vine.compile(
  vine.object({
    ids: vine.array(wholeNumber().min(1)).maxLength(100).optional(),
  })
)
