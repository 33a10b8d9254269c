import { DateTime } from 'luxon'
import { SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import hash from '@adonisjs/core/services/hash'
import {
  afterCreate,
  BaseModel,
  beforeCreate,
  beforeSave,
  column,
  hasOne,
} from '@adonisjs/lucid/orm'
import type { HasOne } from '@adonisjs/lucid/types/relations'
import { DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import Profile from '#models/profile'
import OutboxEmail from '#models/outbox_email'
import SendOutboxEmail from '#jobs/send_outbox_email'
import { usernameSkeleton } from '#helpers/username_skeleton'
import { primary } from '#helpers/primary'
import { isoToTheSecond } from '#helpers/stored_time'

export type UserData = ReturnType<User['serialize']>

/** Who sees a post, or a friend list: everyone, or the owner's friends (and the owner). */
export const AUDIENCES = ['public', 'friends'] as const
export type Audience = (typeof AUDIENCES)[number]

export default class User extends BaseModel {
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

  /** The password's argon2id hash: `setPassword`, or the save, hashes what is put here. */
  @column({ serializeAs: null })
  declare password: string

  /** The hash `setPassword` made, which the save writes as it is. */
  #hashedPassword?: string

  /** The username's confusable skeleton (app/helpers/username_skeleton.ts), unique. */
  @column({ serializeAs: null })
  declare usernameSkeleton: string | null

  /** When the user confirmed their email address; null until then. */
  @column.dateTime({ serializeAs: null })
  declare emailVerifiedAt: DateTime | null

  get emailVerified() {
    return Boolean(this.emailVerifiedAt)
  }

  /** The audience a new post gets when none is chosen (shown to the owner only). */
  @column({ serializeAs: null })
  declare defaultAudience: Audience

  /** Who sees the user's friend list: everyone, or their friends only. */
  @column()
  declare friendsVisible: Audience

  /** Since when a moderator suspended the user (null: not suspended); never shown. */
  @column.dateTime({ serializeAs: null })
  declare suspendedAt: DateTime | null

  /** Why, as the moderator wrote it; told to the user by email. */
  @column({ serializeAs: null })
  declare suspensionReason: string | null

  @hasOne(() => Profile, { serializeAs: 'profile_data' })
  declare profile: HasOne<typeof Profile>

  /** The latest welcome email: a forced resend adds a row, the earlier ones are history. */
  @hasOne(() => OutboxEmail, {
    serializeAs: null,
    onQuery: (query) => query.where('kind', 'welcome').orderBy('id', 'desc'),
  })
  declare welcomeEmail: HasOne<typeof OutboxEmail>

  @column.dateTime({ autoCreate: true, serialize: isoToTheSecond })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true, serializeAs: null })
  declare updatedAt: DateTime | null

  /**
   * Sign-in accepts the username or the email (the column collation makes
   * both case-insensitive). It looks at the email when the identifier
   * holds an "@" and at the username otherwise, so a username can never
   * shadow someone's address (old usernames with an "@" sign in by email).
   */
  static findForAuth(value: string) {
    const by = value.includes('@') ? 'email' : 'username'
    // A credential check reads the primary: a replica may not have the account, or its new password.
    return this.query({ client: primary() }).where(by, value.trim()).first()
  }

  /** Whether `plain` is the user's password. */
  verifyPassword(plain: string) {
    return hash.verify(this.password, plain)
  }

  /**
   * Sets a new password, hashed now: the one place passwords are hashed.
   * Call it before opening the transaction that saves the user: a hash
   * waits for one of few hashing slots (config/hash.ts), and a transaction
   * waiting with it would hold a pooled connection all that time.
   */
  async setPassword(plain: string) {
    this.password = await hash.make(plain)
    this.#hashedPassword = this.password
  }

  /** A password put in the model directly (factories, `create`) is hashed by the save. */
  @beforeSave()
  static async hashPassword(user: User) {
    if (user.$dirty.password && user.password !== user.#hashedPassword) {
      await user.setPassword(user.password)
    }
  }

  @beforeSave()
  static rememberUsernameSkeleton(user: User) {
    if (user.$dirty.username) {
      user.usernameSkeleton = usernameSkeleton(user.username)
    }
  }

  /** The columns' defaults, so that a new user's data shows them before any reload. */
  @beforeCreate()
  static privacyDefaults(user: User) {
    user.defaultAudience ??= 'public'
    user.friendsVisible ??= 'public'
  }

  /** The user, its profile and its welcome email are written together or not at all. */
  @beforeCreate()
  static requireTransaction(user: User) {
    if (!user.$trx) {
      throw new Error('Create users inside a transaction: Registration does, and so do factories')
    }
  }

  /**
   * The Django original's post_save signal: the profile and the welcome
   * email are written in the user's transaction, so they commit or roll
   * back with it; the job that sends the email is queued once it commits.
   */
  @afterCreate()
  static async createProfileAndWelcomeEmail(user: User) {
    const trx = user.$trx!
    const profile = await Profile.create({ userId: user.id, bio: '' }, { client: trx })
    const welcome = await OutboxEmail.record(trx, user.id, 'welcome')
    user.$setRelated('profile', profile)
    // Only a committed user gets a job.
    SendOutboxEmail.dispatchAfterCommit(trx, welcome)
  }

  /**
   * The users an admin may mean: by id ("#7"), by username (any case), or
   * both for what can be either — digits alone ("003": a username may be
   * all digits) and "@ada" (ada, or an older account named "@ada").
   */
  static async findByReference(reference: string): Promise<User[]> {
    const text = reference.trim()
    const id = /^#?(\d{1,15})$/.exec(text)?.[1]
    const names = text.startsWith('#') ? [] : [...new Set([text, text.replace(/^@/, '')])]
    const found = [
      id ? await this.find(Number(id)) : null,
      ...(await Promise.all(names.map((name) => this.findBy('username', name)))),
    ].filter((user): user is User => user !== null)
    return found.filter((user, i) => found.findIndex((other) => other.id === user.id) === i)
  }
}
