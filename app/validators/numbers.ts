import vine from '@vinejs/vine'

/**
 * A whole number, sent as one (JSON) or as decimal digits (a form field, a query
 * string). Anything else is not one, though Vine's conversion would take
 * it: `Number([5])` is 5, `Number(true)` is 1, `Number('0x10')` is 16.
 */
export const wholeNumber = () =>
  vine
    .number()
    .parse((value) =>
      value === undefined ||
      value === null ||
      typeof value === 'number' ||
      (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value))
        ? value
        : Number.NaN
    )
    .withoutDecimals()
