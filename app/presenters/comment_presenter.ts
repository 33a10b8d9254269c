import app from '@adonisjs/core/services/app'
import type Comment from '#models/comment'
import { UserDirectory } from '#services/users/user_directory'
import { userSummary, type UserSummary } from '#presenters/user_presenter'

/** A comment as the API shows it (CONTRACT.md). */
export interface CommentView {
  id: number
  post_id: number
  author: UserSummary
  text: string
  created_at: string
}

/**
 * Comments with their authors (from the cached user directory); one whose
 * author is gone (an account deleted mid-request) is left out.
 */
export async function presentComments(comments: Comment[]): Promise<CommentView[]> {
  const directory = await app.container.make(UserDirectory)
  const ids = [...new Set(comments.map((comment) => comment.userId))]
  const authors = new Map<number, UserSummary>()
  await Promise.all(
    ids.map(async (id) => {
      const data = await directory.publicData(id)
      if (data) authors.set(id, userSummary(data))
    })
  )
  return comments.flatMap((comment) => {
    const author = authors.get(comment.userId)
    if (!author) return []
    return [
      {
        id: comment.id,
        post_id: comment.postId,
        author,
        text: comment.text,
        created_at: comment.createdAt.toUTC().toISO()!,
      },
    ]
  })
}
