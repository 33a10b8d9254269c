import { DateTime } from 'luxon'
import {
  BaseModel,
  beforeCreate,
  belongsTo,
  column,
  SnakeCaseNamingStrategy,
} from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User, { type Audience } from '#models/user'
import { MEDIA_URL_PREFIX } from '#config/drive'

/** A post as it is cached and shown, before its author is attached. */
export interface PostData {
  id: number
  user_id: number
  text: string | null
  image: string | null
  likes_count: number
  comments_count: number
  audience: Audience
  created_at: string
  updated_at: string
  /** When the text last changed after posting; null if it never did. */
  edited_at: string | null
}

/** A `posts` row as MySQL returns it: what lists read without building models. */
export interface PostRow {
  id: number
  user_id: number
  text: string | null
  image: string | null
  likes_count: number
  comments_count: number
  audience: Audience
  created_at: Date
  updated_at: Date | null
  edited_at: Date | null
  /** Bumped by every change of the fields above but `id` (the post cache orders changes by it). */
  version: number
}

/**
 * The columns keep milliseconds (the API shows them, the fan-out job's id
 * uses them); Lucid's MySQL format would drop them on the way in.
 */
function withMilliseconds(value: unknown) {
  if (!DateTime.isDateTime(value)) return value
  if (!value.isValid) throw new Error(`Invalid post time: ${value.invalidReason}`)
  return value.toUTC().toFormat('yyyy-MM-dd HH:mm:ss.SSS')
}

export default class Post extends BaseModel {
  static namingStrategy = new SnakeCaseNamingStrategy()

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare text: string | null

  /** A drive key such as `post_images/<uuid>.webp`; null without a picture. */
  @column()
  declare image: string | null

  /** Kept by the like and comment use cases, in the transaction of each change. */
  @column()
  declare likesCount: number

  @column()
  declare commentsCount: number
  /** Who sees the post: everyone, or the author's friends (app/services/safety/visibility.ts). */
  @column()
  declare audience: Audience

  /** Set once the fan-out to friends' feeds is done (the outbox flag). */
  @column.dateTime({ serializeAs: null })
  declare fannedOutAt: DateTime | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @column.dateTime({ autoCreate: true, prepare: withMilliseconds })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true, prepare: withMilliseconds })
  declare updatedAt: DateTime

  /** A new post's two times are one instant (now that milliseconds are kept, two clock reads differ). */
  /** Set when an edit changes the text (PostService.update); an identical text leaves it. */
  @column.dateTime({ prepare: withMilliseconds })
  declare editedAt: DateTime | null

  @beforeCreate()
  static stampOnce(post: Post) {
    post.createdAt ??= DateTime.now()
    post.updatedAt ??= post.createdAt
    // The column's default (PostService always chooses one: the author's).
    post.audience ??= 'public'
  }

  /** The URL path Nginx (or the app in development) serves the image at. */
  static imageUrl(key: string | null) {
    return key ? `${MEDIA_URL_PREFIX}/${key}` : null
  }

  /** The viewer-independent part of a post: what the post cache holds. */
  toData(): PostData {
    return Post.dataOf({
      id: this.id,
      user_id: this.userId,
      text: this.text,
      image: this.image,
      // A row created without them has the columns' defaults.
      likes_count: this.likesCount ?? 0,
      comments_count: this.commentsCount ?? 0,
      audience: this.audience ?? 'public',
      created_at: this.createdAt.toJSDate(),
      updated_at: this.updatedAt?.toJSDate() ?? null,
      edited_at: this.editedAt?.toJSDate() ?? null,
    })
  }

  /**
   * The same from a plain row: lists and the post cache read rows without
   * building a model and its Luxon dates for each (a large share of a
   * profile page's CPU, npm run bench).
   */
  static dataOf(row: Omit<PostRow, 'version'>): PostData {
    return {
      id: row.id,
      user_id: row.user_id,
      text: row.text,
      image: Post.imageUrl(row.image),
      likes_count: row.likes_count,
      comments_count: row.comments_count,
      audience: row.audience,
      created_at: row.created_at.toISOString(),
      updated_at: (row.updated_at ?? row.created_at).toISOString(),
      edited_at: row.edited_at?.toISOString() ?? null,
    }
  }
}
