import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'

export const FRIEND_REQUEST_STATUSES = ['pending', 'accepted', 'declined'] as const
export type FriendRequestStatus = (typeof FRIEND_REQUEST_STATUSES)[number]

/**
 * A request from `sender` to `receiver`. While pending, the table's
 * generated `pending_pair` column ("least:greatest" ids, unique) keeps it
 * the only pending request of the pair, whichever way round. A cancelled
 * request is deleted; accepted and declined ones stay as history.
 */
export default class FriendRequest extends BaseModel {
  static namingStrategy = new SnakeCaseNamingStrategy()

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare senderId: number

  @column()
  declare receiverId: number

  @column()
  declare status: FriendRequestStatus

  @belongsTo(() => User, { foreignKey: 'senderId' })
  declare sender: BelongsTo<typeof User>

  @belongsTo(() => User, { foreignKey: 'receiverId' })
  declare receiver: BelongsTo<typeof User>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get isPending() {
    return this.status === 'pending'
  }

  /** The value of the `pending_pair` column for two users, in either order. */
  static pairKey(a: number, b: number) {
    return `${Math.min(a, b)}:${Math.max(a, b)}`
  }
}
