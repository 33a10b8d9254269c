import { DateTime } from 'luxon'
import { SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import { BaseModel, column, computed } from '@adonisjs/lucid/orm'
import { MEDIA_URL_PREFIX } from '#config/drive'

/** Shown until the owner uploads a picture; ships in public/. */
export const DEFAULT_PROFILE_PICTURE_URL = '/static/images/default-avatar.svg'

export default class Profile extends BaseModel {
  static namingStrategy = new SnakeCaseNamingStrategy()

  @column({ isPrimary: true })
  declare id: number

  @column({ serializeAs: 'owner' })
  declare userId: number

  /** A drive key such as `profile_pics/<id>.webp`; null for the default. */
  @column({ serializeAs: null })
  declare profilePicture: string | null

  @column()
  declare bio: string

  @column.dateTime({ autoCreate: true, serializeAs: null })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true, serializeAs: null })
  declare updatedAt: DateTime | null

  /** The URL path Nginx (or the app in development) serves the picture at. */
  @computed({ serializeAs: 'profile_picture' })
  get profilePictureUrl() {
    return this.profilePicture
      ? `${MEDIA_URL_PREFIX}/${this.profilePicture}`
      : DEFAULT_PROFILE_PICTURE_URL
  }
}
