import { DateTime } from 'luxon'

/**
 * A time of a column kept to the second (users, friend requests, access
 * tokens' expiry), as the API shows it: the model holds the milliseconds of
 * the moment it was saved, the row does not, and a value must read the
 * same when it is created and every time after.
 */
export function isoToTheSecond(value: DateTime | Date) {
  const time = value instanceof Date ? DateTime.fromJSDate(value) : value
  return time.startOf('second').toUTC().toISO()!
}
