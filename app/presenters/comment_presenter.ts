import type Comment from '#models/comment'
import type { UserSummary } from '#presenters/user_presenter'
import { userSummaries } from '#presenters/friend_request_presenter'

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
  const authors = await userSummaries(comments.map((comment) => comment.userId))
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
