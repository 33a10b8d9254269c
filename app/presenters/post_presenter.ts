import app from '@adonisjs/core/services/app'
import type { PostData } from '#models/post'
import { UserDirectory } from '#services/user_directory'
import { userSummary, type UserSummary } from '#presenters/user_presenter'

/** A post as the API shows it. */
export interface PostView {
  id: number
  author: UserSummary
  text: string | null
  image: string | null
  created_at: string
  updated_at: string
}

/**
 * Attaches each post's author (from the cached user directory). A post
 * whose author is gone (an account deleted mid-request) is left out.
 */
export async function presentPosts(posts: PostData[]): Promise<PostView[]> {
  const authorIds = [...new Set(posts.map((post) => post.user_id))]
  const authors = new Map<number, UserSummary>()
  const directory = await app.container.make(UserDirectory)
  await Promise.all(
    authorIds.map(async (id) => {
      const data = await directory.publicData(id)
      if (data) authors.set(id, userSummary(data))
    })
  )
  return posts.flatMap((post) => {
    const author = authors.get(post.user_id)
    if (!author) return []
    return [
      {
        id: post.id,
        author,
        text: post.text,
        image: post.image,
        created_at: post.created_at,
        updated_at: post.updated_at,
      },
    ]
  })
}

export async function presentPost(post: PostData) {
  const [shown] = await presentPosts([post])
  return shown ?? null
}
