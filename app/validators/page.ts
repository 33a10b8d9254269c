import vine from '@vinejs/vine'

/**
 * The query fields of every list ("pages of results"): `limit` 1–50,
 * default 20, and `before`, an id to continue below. Spread them into a
 * list's own validator when it takes more (`q`, `direction`).
 */
export const pageFields = {
  limit: vine.number().withoutDecimals().range([1, 50]).optional(),
  before: vine.number().withoutDecimals().min(1).optional(),
}

export const pageValidator = vine.compile(vine.object(pageFields))
