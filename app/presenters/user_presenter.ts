import type User from '#models/user'

/** "User data" as the contract shows it: names, profile_data, the email only to its owner. */
export type UserData = ReturnType<User['serialize']>

/** What anyone may see of a user: user data without the email. */
export type PublicUserData = Readonly<Omit<UserData, 'email'>>

/** How a user appears inside other objects (friend requests, posts, notifications). */
export interface UserSummary {
  id: number
  username: string
  first_name: string
  last_name: string
  profile_picture: string
}

/** The public data of a user loaded with its profile (never the email, never the password). */
export function publicUserData(user: User): PublicUserData {
  const { email, ...data } = user.serialize()
  return data
}

/**
 * The one answer to "what does this viewer see of a user": the public data
 * (cached, shared by everyone), plus the email and the default audience of
 * new posts when the viewer is that user.
 * Every route, page and command shows user data through here.
 */
export function userDataFor(data: PublicUserData, viewer?: User | null): UserData | PublicUserData {
  return viewer && viewer.id === data.id
    ? {
        ...data,
        email: viewer.email,
        email_verified: viewer.emailVerified,
        default_audience: viewer.defaultAudience,
      }
    : data
}

/** A user's data as they see it themself (registration, `/api/me`, `users:show`). */
export function ownUserData(user: User) {
  return userDataFor(publicUserData(user), user)
}

export function userSummary(data: PublicUserData): UserSummary {
  return {
    id: data.id,
    username: data.username,
    first_name: data.first_name,
    last_name: data.last_name,
    profile_picture: data.profile_data.profile_picture,
  }
}
