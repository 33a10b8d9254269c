/**
 * What each /api route does, keyed by "METHOD pattern" as the router
 * registers it. The document (`document.ts`) is assembled from the router;
 * tests/functional/api_description.spec.ts fails on a route missing here
 * and on an entry whose route is gone. Add a route → add its entry.
 *
 * Request schemas come from the Vine validators the controllers use; the
 * responses name the shapes of `components.ts`. The answers every route
 * shares (401 with auth, 403 when the email must be confirmed, 429 when
 * rate limited, 400/415/422 with a body, 503) are added by `document.ts`.
 */
import { loginValidator, registerValidator } from '#validators/user'
import { updateProfileValidator } from '#validators/profile'
import { pageValidator } from '#validators/page'
import { createPostValidator, updatePostValidator } from '#validators/post'
import { createCommentValidator } from '#validators/comment'
import {
  changePasswordValidator,
  deleteAccountValidator,
  forgotPasswordValidator,
  resetPasswordValidator,
} from '#validators/account'
import {
  listNotificationsValidator,
  markNotificationsReadValidator,
} from '#validators/notification'
import {
  friendRequestListValidator,
  peopleSearchValidator,
  sendFriendRequestValidator,
} from '#validators/friend_request'
import { privacySettingsValidator } from '#validators/safety'
import { pageOf, ref, type ResponseName } from '#openapi/components'
import { RENDERER_FILES } from '#openapi/renderer'
import { createReportValidator } from '#validators/report'

type Schema = Record<string, unknown>

/** A Vine validator, or a JSON schema written here. */
export type SchemaSource = { toJSONSchema(): object } | Schema

export interface SuccessResponse {
  description: string
  /** JSON body; absent for an empty one (204, 202). */
  schema?: Schema
  /** Another media type than application/json (the docs page). */
  contentType?: string
}

export interface ApiOperation {
  summary: string
  description?: string
  tag: string
  /** bearer: a token is required; optional: a token may be sent (and must then be valid). */
  auth?: 'bearer' | 'optional'
  /** The user's email must be confirmed (403, rule `email_unverified`). */
  verified?: boolean
  /** Rate limited per client IP or per account (429 with Retry-After and X-RateLimit-* headers). */
  rateLimited?: boolean
  /** Query string fields (an object schema). */
  query?: SchemaSource
  /** Request body: JSON, multipart (with `files` naming the file fields), or both. */
  body?: { json?: SchemaSource; multipart?: SchemaSource; files?: string[] }
  /** Path parameters: a description (an integer id), or a description and a schema. */
  params?: Record<string, string | { description: string; schema: Schema }>
  responses: Record<number, SuccessResponse | ResponseName>
}

const json = (description: string, schema: Schema): SuccessResponse => ({ description, schema })
const empty = (description: string): SuccessResponse => ({ description })

const userData = ref('UserData')
const summaries = pageOf(ref('UserSummary'))
const posts = pageOf(ref('Post'))
const postParams = { id: 'Post id' }

const updateProfile: ApiOperation = {
  summary: 'Update a profile (bio and/or picture)',
  description:
    'Owner only. The picture is checked by its content (JPEG, PNG, WebP or GIF, at most 2 MB and 25 megapixels, 8 bits per channel, an interlaced PNG at most 4 megapixels), re-encoded as a 512 px square WebP without metadata. 30 pictures per account every 30 minutes (profile and posts together); 404 if the account was deleted meanwhile.',
  tag: 'Profiles',
  auth: 'bearer',
  rateLimited: true,
  params: { id: 'Profile id' },
  body: {
    multipart: updateProfileValidator,
    json: updateProfileValidator,
    files: ['profile_picture'],
  },
  responses: {
    200: json('The updated profile', ref('Profile')),
    403: 'Forbidden',
    404: 'NotFound',
  },
}

const answerFriendRequest = (verb: string): ApiOperation => ({
  summary: `${verb} a friend request`,
  tag: 'Friends',
  auth: 'bearer',
  params: { id: 'Friend request id' },
  responses: {
    200: json('The request with its new status', ref('FriendRequest')),
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
  },
})

/** A page of one user's things, `/api/users/:id/…`. */
const userList = (summary: string, tag: string, page: SuccessResponse): ApiOperation => ({
  summary,
  tag,
  params: { id: 'User id' },
  query: pageValidator,
  responses: { 200: page, 404: 'NotFound' },
})

export const operations: Record<string, ApiOperation> = {
  // --- Accounts ---
  'POST /api/users': {
    summary: 'Register',
    description:
      'Usernames (letters, digits and . + - _) and emails are unique, case-insensitively; the password must differ from the username. A welcome email with a confirmation link follows.',
    tag: 'Accounts',
    rateLimited: true,
    body: { json: registerValidator },
    responses: { 201: json('The new user (with email)', userData) },
  },
  'POST /api/auth/login': {
    summary: 'Get a bearer token',
    description: '`uid` is the username or the email.',
    tag: 'Accounts',
    rateLimited: true,
    body: { json: loginValidator },
    responses: {
      200: json('An access token', ref('AccessToken')),
      401: 'Unauthenticated',
      403: 'Suspended',
    },
  },
  'POST /api/auth/logout': {
    summary: 'Revoke the token used',
    tag: 'Accounts',
    auth: 'bearer',
    responses: { 204: empty('The token stops working') },
  },
  'GET /api/me': {
    summary: 'Your own user data',
    tag: 'Accounts',
    auth: 'bearer',
    responses: { 200: json('Your user data (with email)', userData) },
  },
  'PATCH /api/me': {
    summary: 'Change who sees what you share',
    description:
      '`default_audience`: the audience of new posts that name none; `friends_visible`: who may list your friends (others get 404). Either or both.',
    tag: 'Accounts',
    auth: 'bearer',
    body: { json: privacySettingsValidator },
    responses: { 200: json('Your user data (with email)', userData) },
  },
  'POST /api/auth/email/resend': {
    summary: 'Send a new confirmation email',
    tag: 'Accounts',
    auth: 'bearer',
    rateLimited: true,
    responses: {
      202: empty('A new confirmation email is on its way'),
      409: 'Conflict',
    },
  },
  'POST /api/auth/password/forgot': {
    summary: 'Ask for a password reset email',
    description:
      'Answers 202 whether or not the address is known, and beyond the 5 emails an account gets per 30 minutes (then none is sent).',
    tag: 'Accounts',
    rateLimited: true,
    body: { json: forgotPasswordValidator },
    responses: { 202: empty('A reset email goes to the address if it is known') },
  },
  'POST /api/auth/password/reset': {
    summary: 'Set a new password with a reset token',
    description:
      'The token is valid for one hour and once, and until the password changes. Every session and token of the user stops working.',
    tag: 'Accounts',
    rateLimited: true,
    body: { json: resetPasswordValidator },
    responses: { 204: empty('Password changed') },
  },
  'PUT /api/me/password': {
    summary: 'Change your password',
    description: 'Every other session and token stops working; a notice email follows.',
    tag: 'Accounts',
    auth: 'bearer',
    body: { json: changePasswordValidator },
    responses: { 204: empty('Password changed') },
  },
  'DELETE /api/me': {
    summary: 'Delete your account',
    description:
      'The account, its profile, pictures, posts, friendships, requests, notifications and tokens are deleted.',
    tag: 'Accounts',
    auth: 'bearer',
    body: { json: deleteAccountValidator },
    responses: { 204: empty('The account is gone') },
  },

  // --- Users and profiles ---
  'GET /api/users': {
    summary: 'Find people',
    description:
      'Prefix match on username or name, case- and accent-insensitive; without `q`, the newest members. Never someone who blocked you or whom you blocked (with a bearer token).',
    tag: 'Users',
    auth: 'optional',
    query: peopleSearchValidator,
    responses: { 200: json('A page of user summaries', summaries) },
  },
  'GET /api/users/:id': {
    summary: "A user's data",
    description:
      'With a bearer token, `friendship` says how you relate; the email shows to its owner. 404 for a suspended user, and when either of you blocked the other.',
    tag: 'Users',
    auth: 'optional',
    params: { id: 'User id' },
    responses: { 200: json('The user data', userData), 404: 'NotFound' },
  },
  'PATCH /api/profiles/:id': updateProfile,
  'PUT /api/profiles/:id': updateProfile,

  // --- Friends ---
  'POST /api/friend-requests': {
    summary: 'Send a friend request',
    description: 'If the receiver had already asked you, that request is accepted instead (200).',
    tag: 'Friends',
    auth: 'bearer',
    verified: true,
    rateLimited: true,
    body: { json: sendFriendRequestValidator },
    responses: {
      201: json('The new pending request', ref('FriendRequest')),
      200: json("The receiver's request to you, now accepted", ref('FriendRequest')),
      404: 'NotFound',
    },
  },
  'GET /api/friend-requests': {
    summary: 'Your pending friend requests',
    description: '`direction`: `incoming` (the default) or `outgoing`.',
    tag: 'Friends',
    auth: 'bearer',
    query: friendRequestListValidator,
    responses: { 200: json('A page of pending requests', pageOf(ref('FriendRequest'))) },
  },
  'POST /api/friend-requests/:id/accept': answerFriendRequest('Accept'),
  'POST /api/friend-requests/:id/decline': answerFriendRequest('Decline'),
  'DELETE /api/friend-requests/:id': {
    summary: 'Cancel a friend request you sent',
    tag: 'Friends',
    auth: 'bearer',
    params: { id: 'Friend request id' },
    responses: {
      204: empty('Cancelled'),
      403: 'Forbidden',
      404: 'NotFound',
      409: 'Conflict',
    },
  },
  'GET /api/users/:id/friends': {
    ...userList("A user's friends", 'Friends', json('A page of user summaries', summaries)),
    description:
      'Only to those the user shows their friends to (`friends_visible`: everyone, or their friends); 404 to others.',
    auth: 'optional',
  },
  'DELETE /api/friends/:user_id': {
    summary: 'Unfriend',
    tag: 'Friends',
    auth: 'bearer',
    params: { user_id: 'The friend’s user id' },
    responses: { 204: empty('No longer friends, either way'), 404: 'NotFound' },
  },

  // --- Posts and the feed ---
  'POST /api/posts': {
    summary: 'Publish a post',
    description:
      'Text, an image, or both. `audience`: `public` or `friends` (the author and their friends only); absent, your `default_audience`. Images are checked by content (as for profile pictures), re-encoded and stripped of metadata. 300 posts per account every 3 hours, and 30 pictures every 30 minutes (429, rule `rate_limit`).',
    tag: 'Posts',
    auth: 'bearer',
    verified: true,
    rateLimited: true,
    body: { json: createPostValidator, multipart: createPostValidator, files: ['image'] },
    responses: {
      201: json('The new post', ref('Post')),
      404: 'NotFound',
    },
  },
  'GET /api/posts/:id': {
    summary: 'A post',
    description:
      '404 when you may not see it: a friends post and you are not the author or their friend, a block either way, a suspended author.',
    tag: 'Posts',
    auth: 'optional',
    params: { id: 'Post id' },
    responses: { 200: json('The post', ref('Post')), 404: 'NotFound' },
  },
  'PATCH /api/posts/:id': {
    summary: 'Edit your post',
    description:
      '`text` and/or `audience`; a null or blank `text` removes the text of a post that has an image.',
    tag: 'Posts',
    auth: 'bearer',
    params: { id: 'Post id' },
    body: { json: updatePostValidator },
    responses: { 200: json('The post', ref('Post')), 403: 'Forbidden', 404: 'NotFound' },
  },
  'DELETE /api/posts/:id': {
    summary: 'Delete your post',
    tag: 'Posts',
    auth: 'bearer',
    params: { id: 'Post id' },
    responses: { 204: empty('Deleted'), 403: 'Forbidden', 404: 'NotFound' },
  },
  'GET /api/users/:id/posts': {
    ...userList("A user's posts", 'Posts', json('A page of posts, newest first', posts)),
    description:
      'The posts you may see: friends posts only to the author and their friends, so a page may hold fewer than `limit`; follow `next`. 404 under a block either way.',
    auth: 'optional',
  },
  'GET /api/feed': {
    summary: 'Your feed',
    description: 'Posts by you and your friends, newest first.',
    tag: 'Posts',
    auth: 'bearer',
    query: pageValidator,
    responses: { 200: json('A page of posts', posts) },
  },

  // --- Comments and likes ---
  'GET /api/posts/:id/comments': {
    summary: 'A post’s comments',
    description: 'Newest first, by id.',
    tag: 'Comments and likes',
    auth: 'optional',
    params: postParams,
    query: pageValidator,
    responses: {
      200: json('A page of comments', pageOf(ref('Comment'))),
      404: 'NotFound',
    },
  },
  'POST /api/posts/:id/comments': {
    summary: 'Comment on a post',
    description:
      '1–500 characters once trimmed. 300 comments per account every 3 hours (429, rule `rate_limit`). The post’s author is notified (not of their own comment).',
    tag: 'Comments and likes',
    auth: 'bearer',
    verified: true,
    rateLimited: true,
    params: postParams,
    body: { json: createCommentValidator },
    responses: { 201: json('The new comment', ref('Comment')), 404: 'NotFound' },
  },
  'DELETE /api/comments/:id': {
    summary: 'Delete a comment',
    description: 'By the comment’s author or the post’s author.',
    tag: 'Comments and likes',
    auth: 'bearer',
    params: { id: 'Comment id' },
    responses: { 204: empty('Deleted'), 403: 'Forbidden', 404: 'NotFound' },
  },
  'PUT /api/posts/:id/like': {
    summary: 'Like a post',
    description:
      'Idempotent: liking again changes nothing. 1,000 likes and unlikes per account an hour (429). The post’s author is notified once per person and post.',
    tag: 'Comments and likes',
    auth: 'bearer',
    verified: true,
    rateLimited: true,
    params: postParams,
    responses: { 204: empty('Liked'), 404: 'NotFound' },
  },
  'DELETE /api/posts/:id/like': {
    summary: 'Unlike a post',
    description: '204 whether or not it was liked.',
    tag: 'Comments and likes',
    auth: 'bearer',
    rateLimited: true,
    params: postParams,
    responses: { 204: empty('Not liked'), 404: 'NotFound' },
  },
  'GET /api/posts/:id/likes': {
    summary: 'Who likes a post',
    description: 'Newest like first; `before` comes from `next`.',
    tag: 'Comments and likes',
    auth: 'optional',
    params: postParams,
    query: pageValidator,
    responses: {
      200: json('A page of user summaries', summaries),
      404: 'NotFound',
    },
  },

  // --- Blocks ---
  'PUT /api/users/:id/block': {
    summary: 'Block someone',
    description:
      'Works both ways at once: neither sees the other’s profile, posts, comments or likes (404), sends a friend request, comments on or likes the other’s posts. Ends your friendship and pending requests either way. They are not told. Again: 204.',
    tag: 'Blocks',
    auth: 'bearer',
    params: { id: 'User id' },
    responses: { 204: empty('Blocked'), 404: 'NotFound', 422: 'ValidationFailed' },
  },
  'DELETE /api/users/:id/block': {
    summary: 'Unblock someone',
    description: 'Lifts your block (one they made stays). Not blocked: 204 too.',
    tag: 'Blocks',
    auth: 'bearer',
    params: { id: 'User id' },
    responses: { 204: empty('Not blocked by you'), 404: 'NotFound' },
  },
  'GET /api/blocks': {
    summary: 'The people you blocked',
    tag: 'Blocks',
    auth: 'bearer',
    query: pageValidator,
    responses: { 200: json('A page of user summaries', summaries) },
  },

  // --- Notifications ---
  'GET /api/notifications': {
    summary: 'Your notifications',
    tag: 'Notifications',
    auth: 'bearer',
    query: listNotificationsValidator,
    responses: {
      200: json(
        'A page of notifications and the unread count',
        pageOf(ref('Notification'), { unread_count: { type: 'integer', minimum: 0 } })
      ),
    },
  },
  'POST /api/notifications/read': {
    summary: 'Mark notifications read',
    description: 'The given ids, or all of them when `ids` is absent.',
    tag: 'Notifications',
    auth: 'bearer',
    body: { json: markNotificationsReadValidator },
    responses: { 204: empty('Marked read') },
  },

  // --- Moderation ---
  'POST /api/reports': {
    summary: 'Report a post, a comment or a user to the moderators',
    description:
      'Exactly one of `post_id`, `comment_id` and `user_id` (422, rule `exactlyOne`); not yourself or what you wrote (422, rule `notSelf`). `note` is optional, at most 1000 characters, line breaks kept. A post, comment or user you cannot see answers 404, as if it did not exist. The reporter is never told the outcome. 20 reports per account a day (429, rule `rate_limit`).',
    tag: 'Moderation',
    auth: 'bearer',
    verified: true,
    rateLimited: true,
    body: { json: createReportValidator },
    responses: {
      201: json('The report, open until a moderator resolves it', {
        type: 'object',
        required: ['id', 'status'],
        additionalProperties: false,
        properties: { id: { type: 'integer', minimum: 1 }, status: { const: 'open' } },
      }),
      404: 'NotFound',
    },
  },

  // --- This description ---
  'GET /api/openapi.json': {
    summary: 'This OpenAPI document',
    tag: 'Documentation',
    responses: { 200: json('OpenAPI 3.1', ref('OpenApiDocument')) },
  },
  'GET /api/docs': {
    summary: 'This document, rendered (Swagger UI)',
    tag: 'Documentation',
    responses: { 200: { description: 'An HTML page', contentType: 'text/html' } },
  },
  'GET /api/docs/assets/:file': {
    summary: 'A file of the docs page (the bundled renderer)',
    tag: 'Documentation',
    params: { file: { description: 'File name', schema: { enum: [...RENDERER_FILES] } } },
    responses: {
      200: { description: 'A stylesheet or script', contentType: '*/*' },
      404: 'NotFound',
    },
  },
}
