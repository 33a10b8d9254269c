import { DateTime } from 'luxon'
import { SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { compose } from '@adonisjs/core/helpers'
import {
  afterCreate,
  afterDelete,
  afterUpdate,
  BaseModel,
  column,
  hasOne,
} from '@adonisjs/lucid/orm'
import type { HasOne } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import Profile from '#models/profile'
import OutboxEmail from '#models/outbox_email'
import SendOutboxEmail from '#jobs/send_outbox_email'

/**
 * Sign-in accepts the username or the email (the column collation makes
 * both case-insensitive); unknown users still cost one hash, so timing
 * does not reveal which accounts exist.
 */
const AuthFinder = withAuthFinder(() => hash.use(), {
  uids: ['username', 'email'],
  passwordColumnName: 'password',
})

export type UserData = ReturnType<User['serialize']>

export default class User extends compose(BaseModel, AuthFinder) {
  static namingStrategy = new SnakeCaseNamingStrategy()

  static accessTokens = DbAccessTokensProvider.forModel(User, {
    expiresIn: '30 days',
    prefix: 'gs_',
  })

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare username: string

  @column()
  declare firstName: string

  @column()
  declare lastName: string

  @column()
  declare email: string

  @column({ serializeAs: null })
  declare password: string

  /** When the user confirmed their email address; null until then. */
  @column.dateTime({ serializeAs: null })
  declare emailVerifiedAt: DateTime | null

  get emailVerified() {
    return Boolean(this.emailVerifiedAt)
  }

  @hasOne(() => Profile, { serializeAs: 'profile_data' })
  declare profile: HasOne<typeof Profile>

  @hasOne(() => OutboxEmail, {
    serializeAs: null,
    onQuery: (query) => query.where('kind', 'welcome'),
  })
  declare welcomeEmail: HasOne<typeof OutboxEmail>

  @column.dateTime({ autoCreate: true, serialize: (value: DateTime) => value.toUTC().toISO() })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true, serializeAs: null })
  declare updatedAt: DateTime | null

  /**
   * A new user is always inserted inside a transaction, so the profile and
   * the welcome-email intent written by the hook below commit or roll back
   * with it, whoever creates the user (registration, ace, factories).
   */
  async save() {
    if (this.$isPersisted || this.$trx) {
      return super.save()
    }
    return db.transaction(async (trx) => {
      this.useTransaction(trx)
      return super.save()
    })
  }

  /**
   * The Django original's post_save signal: the profile and the intent to
   * send a welcome email are written in the user's transaction; the job
   * that sends it is queued once that transaction commits.
   */
  @afterCreate()
  static async createProfileAndWelcomeIntent(user: User) {
    const trx = user.$trx!
    const profile = await Profile.create({ userId: user.id, bio: '' }, { client: trx })
    const welcome = await OutboxEmail.record(trx, user.id, 'welcome')
    user.$setRelated('profile', profile)
    // Only a committed user gets a job.
    SendOutboxEmail.dispatchAfterCommit(trx, welcome)
  }

  /** Any change to a user reaches every replica's cached copy. */
  @afterUpdate()
  @afterDelete()
  static async forgetCachedData(user: User) {
    await forgetCachedData(user)
  }

  /**
   * Creates a user from the registration validator's output (the API's
   * snake_case names), for the forms, the API and `users:create` alike.
   */
  static register(payload: {
    username: string
    email: string
    first_name: string
    last_name: string
    password: string
  }) {
    return this.create({
      username: payload.username,
      email: payload.email,
      firstName: payload.first_name,
      lastName: payload.last_name,
      password: payload.password,
    })
  }

  /**
   * Finds a user by id ("7") or by username (any case), as admins type them.
   */
  static findByReference(reference: string) {
    return /^\d+$/.test(reference)
      ? this.find(Number(reference))
      : this.findBy('username', reference.trim())
  }

  /**
   * "User data" as the API shows it: the email only to the user
   * themself, never the password.
   */
  serializeFor(viewer?: { id: number } | null) {
    const data = this.serialize()
    if (viewer?.id !== this.id) {
      delete data.email
    }
    return data
  }

  /**
   * Public user data (cached, see app/services/user_directory.ts) completed with what only
   * the user themself sees: the same shape as `serializeFor(owner)`.
   */
  static withOwnerFields<T extends object>(publicData: T, owner: User) {
    return { ...publicData, email: owner.email }
  }
}

/**
 * Drops a user's cached data at once and, inside a transaction, again once
 * it commits: a read between the two could have cached the old row.
 * Imported lazily, so that loading the model opens no cache connection.
 */
export async function forgetCachedData(
  model: { $trx?: User['$trx']; id: number },
  userId = model.id
) {
  const { userDirectory } = await import('#services/user_directory')
  await userDirectory.forget(userId)
  model.$trx?.after('commit', () => userDirectory.forget(userId))
}
