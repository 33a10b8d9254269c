import { DateTime } from 'luxon'
import { BaseModel, column, SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'

/** What `user` wrote under `post`. Written by CommentService only. */
export default class Comment extends BaseModel {
  static namingStrategy = new SnakeCaseNamingStrategy()

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare postId: number

  @column()
  declare userId: number

  @column()
  declare text: string

  @column.dateTime({
    autoCreate: true,
    // Milliseconds, as the API shows them.
    prepare: (value: DateTime) => value.toUTC().toFormat('yyyy-MM-dd HH:mm:ss.SSS'),
  })
  declare createdAt: DateTime
}
