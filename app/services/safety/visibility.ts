import { inject } from '@adonisjs/core'
import type { Audience } from '#models/user'
import type { RelationsSnapshot } from '#cache/stores'
import { SignedInUsers } from '#services/sessions/signed_in_users'
import { UserDirectory, type PublicUserData } from '#services/users/user_directory'
import { blockedBetween } from '#services/friends/friendship_queries'
import { hasSorted } from '#helpers/sorted_ids'

/** Who is looking: a signed-in user, or null for a visitor (and for every cached page). */
export type Viewer = { id: number } | null

/** What visibility needs of a post: whose it is and who it is for. */
export interface Visible {
  user_id: number
  audience: Audience
}

/**
 * What one viewer may see, answered without a query: made from the
 * viewer's cached relations snapshot (friends and blocks either way,
 * app/cache/stores.ts `relations`, dropped on every replica by
 * CacheInvalidation.relation when a friendship or a block changes).
 * Suspension is not its concern: a suspended user has no public data
 * (UserDirectory), so their profile, posts and comments are absent to the
 * lens's callers before it is asked.
 */
export class Lens {
  constructor(
    readonly viewerId: number | null,
    private relations: RelationsSnapshot | null
  ) {}

  isSelf(userId: number) {
    return this.viewerId === userId
  }

  isFriend(userId: number) {
    return Boolean(this.relations && hasSorted(this.relations.friends, userId))
  }

  /** A block between the viewer and `userId`, whoever made it. */
  blocks(userId: number) {
    return Boolean(this.relations && hasSorted(this.relations.blocked, userId))
  }

  /** The viewer may see user `userId` at all: their profile, posts, comments, likes. */
  seesUser(userId: number) {
    return !this.blocks(userId)
  }

  /** For an audience: everyone, or the owner and their friends. */
  inAudience(ownerId: number, audience: Audience) {
    if (!this.seesUser(ownerId)) return false
    // Anything but "public" is the narrow audience: an unknown value hides.
    return audience === 'public' || this.isSelf(ownerId) || this.isFriend(ownerId)
  }

  seesPost(post: Visible) {
    return this.inAudience(post.user_id, post.audience)
  }

  /** A user's friend list, as they chose to show it (`friends_visible`). */
  seesFriendsOf(user: { id: number; friends_visible: Audience }) {
    return this.inAudience(user.id, user.friends_visible)
  }
}

/**
 * The one answer to "may this viewer see this?" (DESIGN.md "Blocks and
 * audience"): posts by audience, friendship and blocks either way; users by
 * blocks and suspension. Policies, controllers, the post presenter (the
 * per-viewer step after shared caches), people search, friend lists and
 * notifications ask here. Shared caches hold what everyone may see; this
 * runs after them, per viewer.
 */
@inject()
export class Visibility {
  constructor(
    private signedInUsers: SignedInUsers,
    private directory: UserDirectory
  ) {}

  /** The viewer's lens: one cached snapshot for a signed-in viewer, nothing for a visitor. */
  async lens(viewer: Viewer): Promise<Lens> {
    if (!viewer) return new Lens(null, null)
    return new Lens(viewer.id, await this.signedInUsers.relations(viewer.id))
  }

  /**
   * User `userId`'s public data when the viewer may see them; null when
   * there is no such user, they are suspended, or a block stands between them.
   */
  async user(viewer: Viewer, userId: number): Promise<PublicUserData | null> {
    const data = await this.directory.publicData(userId)
    if (!data) return null
    const lens = await this.lens(viewer)
    return lens.seesUser(userId) ? data : null
  }

  /** Whether the viewer may see `post` (its author present, not suspended, not blocked; its audience). */
  async canSeePost(viewer: Viewer, post: Visible): Promise<boolean> {
    if (!(await this.directory.publicData(post.user_id))) return false
    const lens = await this.lens(viewer)
    return lens.seesPost(post)
  }

  /**
   * Whether the viewer may list user `userId`'s friends: `absent` when the
   * viewer may not see the user at all (no such user, suspended, a block
   * either way), `hidden` when the user shows them to their friends only.
   */
  async friendsOf(viewer: Viewer, userId: number): Promise<'shown' | 'hidden' | 'absent'> {
    const data = await this.directory.publicData(userId)
    if (!data) return 'absent'
    const lens = await this.lens(viewer)
    if (!lens.seesUser(userId)) return 'absent'
    return lens.seesFriendsOf({ id: userId, friends_visible: data.friends_visible })
      ? 'shown'
      : 'hidden'
  }

  /**
   * A block between two users, read from the primary: for writes that it
   * forbids (a friend request, a notification), which must not trust a
   * snapshot a replica is about to drop.
   */
  blockedBetween(a: number, b: number): Promise<boolean> {
    return blockedBetween(a, b)
  }
}
