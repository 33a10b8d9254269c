import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import { errors as vineErrors } from '@vinejs/vine'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import Post from '#models/post'
import NotFoundException from '#exceptions/not_found_exception'
import { PostImage } from '#services/pictures/post_image'

export interface NewPost {
  text?: string | null
  image?: MultipartFile
}

/**
 * Writing posts: each use case commits, then emits its domain event (the
 * listeners fan out to feeds and drop what the caches hold of the post).
 */
@inject()
export class PostService {
  constructor(private images: PostImage) {}

  async create(authorId: number, { text, image }: NewPost) {
    // The picture is re-encoded and stored first; removed again if the row fails.
    const key = image ? await this.images.store(image) : null
    let post: Post
    try {
      // One INSERT is atomic by itself: a transaction around it would hold a
      // pooled connection for two more round trips (BEGIN, COMMIT) per post.
      post = await Post.create({ userId: authorId, text: text ?? null, image: key })
    } catch (error) {
      await this.images.remove(key)
      // The author's account was deleted while the picture was processed.
      if (error.code === 'ER_NO_REFERENCED_ROW_2') throw new NotFoundException('User')
      throw error
    }

    // The post cache is left alone: a new id has no older entry to replace,
    // and the first reader fills it.
    await emitter.emit('post.created', { postId: post.id, authorId })
    return post
  }

  /**
   * A post keeps text or a picture: clearing the text of a text-only post is
   * refused. The same text again changes nothing (no `edited_at`, no event).
   */
  async update(post: Post, text: string | null) {
    if (!text && !post.image) {
      throw new vineErrors.E_VALIDATION_ERROR([
        { message: 'Write something or delete the post', field: 'text', rule: 'required' },
      ])
    }
    if (text === post.text) return post
    await db.transaction(async (trx) => {
      post.useTransaction(trx)
      post.text = text
      post.editedAt = DateTime.now()
      await post.save()
    })
    await emitter.emit('post.updated', { postId: post.id, authorId: post.userId })
    return post
  }

  async delete(post: Post) {
    await db.transaction(async (trx) => {
      post.useTransaction(trx)
      await post.delete()
    })
    await emitter.emit('post.deleted', { postId: post.id, authorId: post.userId })
    await this.images.remove(post.image).catch((error) => {
      logger.warn({ err: error, key: post.image }, 'post image not removed')
    })
  }
}
