import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/** Every transactional email G-Social sends. */
export const OUTBOX_KINDS = [
  'welcome',
  'email_confirmation',
  'password_reset',
  'password_changed',
  'moderation_post_removed',
  'moderation_suspended',
] as const

export type OutboxKind = (typeof OUTBOX_KINDS)[number]

/**
 * Kinds that tell of something that happened (a password changed, a post
 * removed, a suspension, with what was done): only that act records one,
 * so a resend sends an existing email again but never makes one up.
 */
export const KINDS_WRITTEN_BY_THEIR_ACT: readonly OutboxKind[] = [
  'password_changed',
  'moderation_post_removed',
  'moderation_suspended',
]

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed'

/**
 * One email owed to a user (the mail outbox): written in the transaction
 * of the change that owes it; app/services/accounts/mail_outbox.ts moves it from
 * pending through sending to sent or failed.
 */
export default class OutboxEmail extends BaseModel {
  static namingStrategy = new SnakeCaseNamingStrategy()

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kind: OutboxKind

  @column()
  declare userId: number

  /** What the kind needs beyond the user, e.g. a token. */
  @column({
    prepare: (value: Record<string, unknown> | null) => (value ? JSON.stringify(value) : null),
    consume: (value: string | Record<string, unknown> | null) =>
      typeof value === 'string' ? JSON.parse(value) : (value ?? {}),
  })
  declare payload: Record<string, unknown>

  @column()
  declare state: OutboxState

  @column()
  declare attempts: number

  /** The Bull job id for this row: random, replaced when a job must run again. */
  @column()
  declare jobKey: string

  @column()
  declare messageId: string | null

  @column()
  declare lastError: string | null

  @column.dateTime()
  declare leaseUntil: DateTime | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  /** Writes a pending email, inside the caller's transaction when it has one. */
  static record(
    client: QueryClientContract,
    userId: number,
    kind: OutboxKind,
    payload: Record<string, unknown> = {}
  ) {
    return this.create(
      { userId, kind, payload, state: 'pending', attempts: 0, jobKey: randomUUID() },
      { client }
    )
  }
}
