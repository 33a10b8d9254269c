import app from '@adonisjs/core/services/app'
import type { PostData } from '#models/post'
import type { Audience } from '#models/user'
import type { Page } from '#helpers/page'
import { Visibility, type Viewer } from '#services/safety/visibility'
import { SignedInUsers } from '#services/sessions/signed_in_users'
import type { UserSummary } from '#presenters/user_presenter'
import { userSummaries } from '#presenters/friend_request_presenter'

/** A post as the API shows it. */
export interface PostView {
  id: number
  author: UserSummary
  text: string | null
  image: string | null
  likes_count: number
  comments_count: number
  audience: Audience
  created_at: string
  updated_at: string
  edited_at: string | null
}

/** A post as the API shows it to a viewer. */
export interface ApiPost extends PostView {
  /** The viewer likes it; false without a viewer. */
  liked: boolean
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
  /** The viewer likes the post. */
  liked: boolean
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
  const seen = posts.filter((post) => lens.seesPost(post))
  const [shown, liked] = await Promise.all([withAuthors(seen), likedBy(viewer, seen)])
  return shown.map((post) => ({
    ...post,
    viewer: { mine: viewer?.id === post.author.id, liked: liked.has(post.id) },
  }))
}

/** Which of the posts the viewer likes (SignedInUsers: their kept likes, no query per page). */
async function likedBy(viewer: Viewer, posts: PostData[]) {
  if (!viewer || !posts.length) return new Set<number>()
  const signedInUsers = await app.container.make(SignedInUsers)
  return signedInUsers.likedAmong(
    viewer.id,
    posts.map((post) => post.id)
  )
}

export async function presentPost(post: PostData, viewer: Viewer) {
  const [shown] = await presentPosts([post], viewer)
  return shown ?? null
}

/**
 * A post as its author sees it the moment they wrote it: their own post is
 * in their audience, and no one has liked it yet. Only the author's summary
 * is looked up (the cached directory): not the viewer's relations, nor a
 * likes query that could find nothing (a post request pays neither).
 */
export async function presentNewPost(post: PostData): Promise<ViewedPost | null> {
  const [shown] = await withAuthors([post])
  return shown ? { ...shown, viewer: { mine: true, liked: false } } : null
}

/**
 * The API's Post (CONTRACT.md): the shared data and the viewer's parts the
 * contract shows (`liked`); `mine` is for pages.
 */
export function apiPost({ viewer, ...post }: ViewedPost): ApiPost {
  return { ...post, liked: viewer.liked }
}

export function apiPage({ data, next }: Page<ViewedPost>): Page<ApiPost> {
  return { data: data.map(apiPost), next }
}

/**
 * Attaches each post's author (from the cached user directory). A post
 * whose author is gone (an account deleted mid-request) is left out.
 */
async function withAuthors(posts: PostData[]): Promise<PostView[]> {
  const authors = await userSummaries(posts.map((post) => post.user_id))
  return posts.flatMap((post) => {
    const author = authors.get(post.user_id)
    if (!author) return []
    return [
      {
        id: post.id,
        author,
        text: post.text,
        image: post.image,
        likes_count: post.likes_count,
        comments_count: post.comments_count,
        audience: post.audience,
        created_at: post.created_at,
        updated_at: post.updated_at,
        edited_at: post.edited_at,
      },
    ]
  })
}
