import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { errors as vineErrors } from '@vinejs/vine'
import User from '#models/user'
import { humanMessage } from '#validators/messages'

/** The registration validator's output (the API's snake_case names). */
export interface RegistrationData {
  username: string
  email: string
  first_name: string
  last_name: string
  password: string
}

/** Which unique index guards which field. */
const UNIQUE_FIELDS: Record<string, string> = {
  users_username_unique: 'username',
  // two look-alikes (or one username twice) at the same instant
  users_username_lookalike_unique: 'username',
  users_email_unique: 'email',
}

/**
 * Creates a user, for the forms, the API and `users:create` alike. The
 * password is hashed first, outside the transaction: a burst of
 * registrations queues for the hashing slots without holding pooled
 * connections. The user's transaction also carries the profile and the
 * welcome email (the model's hook); 'user.registered' follows once it
 * commits.
 */
export class Registration {
  /** `confirmed`: an admin vouches for the address of a user they create. */
  async register(data: RegistrationData, options: { confirmed?: boolean } = {}) {
    const user = new User().merge({
      username: data.username,
      email: data.email,
      firstName: data.first_name,
      lastName: data.last_name,
      emailVerifiedAt: options.confirmed ? DateTime.utc() : null,
    })
    await user.setPassword(data.password)
    await db
      .transaction((trx) => user.useTransaction(trx).save())
      .catch((error) => {
        throw takenError(error) ?? error
      })
    await emitter.emit('user.registered', { userId: user.id })
    return user
  }
}

/**
 * Two registrations of one username at the same instant both pass the
 * validator; the unique index refuses the second, which is the same
 * "already taken" the validator would have said.
 */
function takenError(error: { code?: string; sqlMessage?: string }) {
  if (error.code !== 'ER_DUP_ENTRY') return
  const index = /for key '(?:\w+\.)?(\w+)'/.exec(error.sqlMessage ?? '')?.[1]
  const field = index && UNIQUE_FIELDS[index]
  if (!field) return
  return new vineErrors.E_VALIDATION_ERROR([
    { message: humanMessage(field, 'database.unique'), field, rule: 'database.unique' },
  ])
}
