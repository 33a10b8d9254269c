import { DateTime } from 'luxon'
import { SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export const NOTIFICATION_TYPES = ['friend_request', 'friend_accepted'] as const
export type NotificationType = (typeof NOTIFICATION_TYPES)[number]

/**
 * Something that happened to `recipient` because of `actor`; `subject` is
 * the friend request it is about. Written only by NotificationService.
 */
export default class Notification extends BaseModel {
  static namingStrategy = new SnakeCaseNamingStrategy()

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare recipientId: number

  @column()
  declare type: NotificationType

  @column()
  declare actorId: number

  @column()
  declare subjectId: number

  @column.dateTime()
  declare readAt: DateTime | null

  @column.dateTime()
  declare createdAt: DateTime

  get read() {
    return this.readAt !== null
  }
}
