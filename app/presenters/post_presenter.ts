import app from '@adonisjs/core/services/app'
import type { PostData } from '#models/post'
import type { Audience } from '#models/user'
import type { Page } from '#helpers/page'
import { UserDirectory } from '#services/users/user_directory'
import { Visibility, type Viewer } from '#services/safety/visibility'
import { userSummary, type UserSummary } from '#presenters/user_presenter'

/** A post as the API shows it. */
export interface PostView {
  id: number
  author: UserSummary
  text: string | null
  image: string | null
  audience: Audience
  created_at: string
  updated_at: string
}

export type { Viewer }

/**
 * What only this viewer sees of a post. Added after the shared data (the
 * cached posts and authors), never stored in it; liked, blocked and
 * audience join here.
 */
export interface ViewerParts {
  /** The viewer wrote the post: pages offer to delete it. */
  mine: boolean
}

export interface ViewedPost extends PostView {
  viewer: ViewerParts
}

/**
 * The one step every post list and post page goes through (the feed,
 * profile pages, the post page and the API): the shared data, then what
 * this viewer may see of it (app/services/safety/visibility.ts: audience,
 * blocks; suspended authors have no data) and the viewer's parts. A page
 * may so show fewer posts than its limit; its `next` still follows on.
 */
export async function presentPosts(posts: PostData[], viewer: Viewer): Promise<ViewedPost[]> {
  const visibility = await app.container.make(Visibility)
  const lens = await visibility.lens(viewer)
  const shown = await withAuthors(posts.filter((post) => lens.seesPost(post)))
  return shown.map((post) => ({ ...post, viewer: { mine: viewer?.id === post.author.id } }))
}

export async function presentPost(post: PostData, viewer: Viewer) {
  const [shown] = await presentPosts([post], viewer)
  return shown ?? null
}

/**
 * The API's Post (CONTRACT.md): the shared data and the viewer's parts the
 * contract shows, none yet (`liked` will be one); `mine` is for pages.
 */
export function apiPost({ viewer: _, ...post }: ViewedPost): PostView {
  return post
}

export function apiPage({ data, next }: Page<ViewedPost>): Page<PostView> {
  return { data: data.map(apiPost), next }
}

/**
 * Attaches each post's author (from the cached user directory). A post
 * whose author is gone (an account deleted mid-request) is left out.
 */
async function withAuthors(posts: PostData[]): Promise<PostView[]> {
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
        audience: post.audience,
        created_at: post.created_at,
        updated_at: post.updated_at,
      },
    ]
  })
}
