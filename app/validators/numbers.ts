import vine from '@vinejs/vine'

/**
 * A whole number, sent as one (JSON) or as digits (a form field, a query
 * string). A list or an object is not one, though Vine's conversion
 * (`Number([5])` is 5) would take `{"receiver_id": [5]}` or `?before[]=5`.
 */
export const wholeNumber = () =>
  vine
    .number()
    .parse((value) => (typeof value === 'object' && value !== null ? Number.NaN : value))
    .withoutDecimals()
