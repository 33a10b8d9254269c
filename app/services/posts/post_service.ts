import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import { errors as vineErrors } from '@vinejs/vine'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Post, { type PostData } from '#models/post'
import type { Audience } from '#models/user'
import NotFoundException from '#exceptions/not_found_exception'
import { primary } from '#helpers/primary'
import { PostImage } from '#services/pictures/post_image'

export interface NewPost {
  text?: string | null
  image?: MultipartFile
  /** Absent: the author's `default_audience`. */
  audience?: Audience
}

/** What an edit may change: undefined leaves a field as it is. */
export interface PostChanges {
  text?: string | null
  audience?: Audience
}

/**
 * Writing posts: each use case commits, then emits its domain event (the
 * listeners fan out to feeds and drop what the caches hold of the post).
 */
@inject()
export class PostService {
  constructor(private images: PostImage) {}

  async create(authorId: number, { text, image, audience }: NewPost) {
    audience ??= await defaultAudienceOf(authorId)
    // The picture is re-encoded and stored first; removed again if the row fails.
    const key = image ? await this.images.store(image) : null
    const now = new Date()
    const row = {
      user_id: authorId,
      text: text ?? null,
      image: key,
      audience,
      created_at: now,
      updated_at: now,
    }
    let data: PostData
    try {
      // One INSERT, atomic by itself, and the row it wrote is known: no
      // model to build and read back (a post is written at reading speed).
      const [id] = await primary().table('posts').insert(row)
      data = Post.dataOf({
        ...row,
        id: Number(id),
        likes_count: 0,
        comments_count: 0,
        edited_at: null,
      })
    } catch (error) {
      await this.images.remove(key)
      // The author's account was deleted while the picture was processed.
      if (error.code === 'ER_NO_REFERENCED_ROW_2') throw new NotFoundException('User')
      throw error
    }

    // The post cache is left alone: a new id has no older entry to replace,
    // and the first reader fills it.
    await emitter.emit('post.created', { postId: data.id, authorId, post: data })
    return data
  }

  /**
   * A post keeps text or a picture: clearing the text of a text-only post
   * is refused, and so is an edit that names neither text nor audience. The
   * same text again leaves `edited_at` alone. A narrower audience shows at
   * once everywhere: readers filter by the post as cached, and the edit
   * replaces the cached post.
   */
  async update(post: Post, { text, audience }: PostChanges) {
    const newText = text === undefined ? post.text : text
    if ((!newText && !post.image) || (text === undefined && !audience)) {
      throw new vineErrors.E_VALIDATION_ERROR([
        { message: 'Write something or delete the post', field: 'text', rule: 'required' },
      ])
    }
    const textChanged = newText !== post.text
    if (!textChanged && (!audience || audience === post.audience)) return post
    await db.transaction(async (trx) => {
      post.useTransaction(trx)
      post.text = newText
      if (textChanged) post.editedAt = DateTime.now()
      if (audience) post.audience = audience
      await post.save()
      // A newer version than any count change before it (the post cache keeps the newest).
      await trx.rawQuery('UPDATE posts SET version = version + 1 WHERE id = ?', [post.id])
    })
    await emitter.emit('post.updated', { postId: post.id, authorId: post.userId })
    return post
  }

  /**
   * Deletes the post; `alongside` writes what must commit with it (a
   * moderator's removal: the author's email, the reports resolved).
   */
  async delete(post: Post, alongside?: (trx: TransactionClientContract) => Promise<unknown>) {
    await db.transaction(async (trx) => {
      post.useTransaction(trx)
      await post.delete()
      await alongside?.(trx)
    })
    await emitter.emit('post.deleted', { postId: post.id, authorId: post.userId })
    await this.images.remove(post.image).catch((error) => {
      logger.warn({ err: error, key: post.image }, 'post image not removed')
    })
  }
}

/** The audience the author chose for new posts (the primary: it decides the write). */
async function defaultAudienceOf(authorId: number): Promise<Audience> {
  const row = await primary().from('users').where('id', authorId).select('default_audience').first()
  if (!row) throw new NotFoundException('User')
  return row.default_audience
}
