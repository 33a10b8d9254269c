/*
|--------------------------------------------------------------------------
| Bouncer policies
|--------------------------------------------------------------------------
|
| Registered here so templates can use them by name:
| @can('ProfilePolicy.update', profile)
|
*/
export const policies = {
  ProfilePolicy: () => import('#policies/profile_policy'),
  PostPolicy: () => import('#policies/post_policy'),
  FriendRequestPolicy: () => import('#policies/friend_request_policy'),
  CommentPolicy: () => import('#policies/comment_policy'),
}
