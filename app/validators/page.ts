import vine from '@vinejs/vine'
import { wholeNumber } from '#validators/numbers'

/**
 * The query fields of every list ("pages of results"): `limit` 1–50,
 * default 20, and `before`, an id to continue below. Spread them into a
 * list's own validator when it takes more (`q`, `direction`).
 */
export const pageFields = {
  limit: wholeNumber().range([1, 50]).optional(),
  before: wholeNumber().min(1).optional(),
}

export const pageValidator = vine.compile(vine.object(pageFields))
