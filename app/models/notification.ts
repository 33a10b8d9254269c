import { DateTime } from 'luxon'
import { SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export const NOTIFICATION_TYPES = [
  'friend_request',
  'friend_accepted',
  'comment',
  'like',
  'mention',
] as const
export type NotificationType = (typeof NOTIFICATION_TYPES)[number]

/** The types about a post: they carry its id, and go with it. */
export const POST_NOTIFICATION_TYPES = ['comment', 'like', 'mention'] as const

/**
 * Types whose repeat (a request sent again, another comment) brings the
 * row back on top, unread; for the others (a like after an unlike, a
 * mention in an edited post) the first notification is the only one.
 */
export const REPEATS_NOTIFY: readonly NotificationType[] = [
  'friend_request',
  'friend_accepted',
  'comment',
]

/**
 * Something that happened to `recipient` because of `actor`; `subject` is
 * the friend request or comment it is about (for a like or a mention, the
 * post), `post` the post (null for the friend types). Written only by
 * NotificationService.
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

  @column()
  declare postId: number | null

  @column.dateTime()
  declare readAt: DateTime | null

  @column.dateTime()
  declare createdAt: DateTime

  get read() {
    return this.readAt !== null
  }
}
