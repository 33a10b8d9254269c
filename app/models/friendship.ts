import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'

/**
 * One direction of a friendship: two rows, (a, b) and (b, a), written and
 * removed together by the friendships service. The table's primary key is
 * (user_id, friend_id); Lucid models one key only, so this model is for
 * reads, and the service writes with the query builder.
 */
export default class Friendship extends BaseModel {
  static namingStrategy = new SnakeCaseNamingStrategy()

  @column({ isPrimary: true })
  declare userId: number

  @column()
  declare friendId: number

  @belongsTo(() => User, { foreignKey: 'friendId' })
  declare friend: BelongsTo<typeof User>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
