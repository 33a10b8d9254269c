import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'

export const REPORT_REASONS = ['spam', 'harassment', 'other'] as const
export type ReportReason = (typeof REPORT_REASONS)[number]

export const REPORT_TARGETS = ['post', 'comment', 'user'] as const
export type ReportTarget = (typeof REPORT_TARGETS)[number]

export const REPORT_ACTIONS = ['dismiss', 'remove', 'suspend'] as const
export type ReportAction = (typeof REPORT_ACTIONS)[number]

export type ReportStatus = 'open' | 'resolved'

/**
 * Something a person reported to the moderators: open until an admin
 * resolves it. The reporter is never told the outcome.
 */
export default class Report extends BaseModel {
  static namingStrategy = new SnakeCaseNamingStrategy()

  @column({ isPrimary: true })
  declare id: number

  /** Null once the reporter deleted their account: the report stays for the moderators. */
  @column()
  declare reporterId: number | null

  @column()
  declare targetType: ReportTarget

  @column()
  declare targetId: number

  /** Whose it is: the post's or comment's author, or the reported user. */
  @column()
  declare targetUserId: number

  /** The post's or comment's text when it was reported: kept once the content is removed. */
  @column()
  declare targetText: string | null

  @column()
  declare reason: ReportReason

  @column()
  declare note: string | null

  @column()
  declare status: ReportStatus

  @column()
  declare action: ReportAction | null

  @column()
  declare resolutionNote: string | null

  @column.dateTime()
  declare resolvedAt: DateTime | null

  @belongsTo(() => User, { foreignKey: 'reporterId' })
  declare reporter: BelongsTo<typeof User>

  @belongsTo(() => User, { foreignKey: 'targetUserId' })
  declare targetUser: BelongsTo<typeof User>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null
}
