import type { PublicUserData } from '#services/user_directory'

/** How a user appears inside other objects (friend requests, posts, notifications). */
export interface UserSummary {
  id: number
  username: string
  first_name: string
  last_name: string
  profile_picture: string
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
