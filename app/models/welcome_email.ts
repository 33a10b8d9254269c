import { DateTime } from 'luxon'
import { SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export type WelcomeEmailState = 'pending' | 'sending' | 'sent' | 'failed'

/**
 * The welcome-email outbox row: one per user, written with the user.
 */
export default class WelcomeEmail extends BaseModel {
  static namingStrategy = new SnakeCaseNamingStrategy()

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare state: WelcomeEmailState

  @column()
  declare attempts: number

  @column()
  declare messageId: string | null

  @column()
  declare lastError: string | null

  @column.dateTime()
  declare claimedAt: DateTime | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  /**
   * Records the intent inside the user's transaction.
   */
  static record(userId: number, client: TransactionClientContract) {
    return this.create({ userId, state: 'pending', attempts: 0 }, { client })
  }
}
