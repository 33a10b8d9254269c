/**
 * The shapes the API answers with, declared once and referenced by every
 * route in `operations.ts`. Response objects are strict
 * (`additionalProperties: false`): the functional suite checks every JSON
 * response against them, so a field added without being described here
 * fails the build.
 */
type Schema = Record<string, unknown>

export const ref = (name: keyof typeof schemas) => ({ $ref: `#/components/schemas/${name}` })

const id = { type: 'integer', minimum: 1 }
const timestamp = { type: 'string', format: 'date-time', description: 'ISO 8601, UTC' }
const mediaPath = {
  type: 'string',
  description: 'A URL path on this site, e.g. /media/profile_pics/….webp',
}

/** Who sees a post or a friend list. */
const audience = { enum: ['public', 'friends'] }

/** What user data and user summaries both begin with. */
const identity = {
  id,
  username: { type: 'string' },
  first_name: { type: 'string' },
  last_name: { type: 'string' },
}

/** `{data, next}` of a list of `item`. */
export function pageOf(item: Schema, extra: Record<string, Schema> = {}): Schema {
  return {
    type: 'object',
    required: ['data', 'next', ...Object.keys(extra)],
    additionalProperties: false,
    properties: {
      data: { type: 'array', items: item },
      next: {
        type: ['string', 'null'],
        description: 'Path of the following page (same query, `before` set), null on the last page',
        examples: ['/api/feed?before=123&limit=20'],
      },
      ...extra,
    },
  }
}

export const schemas = {
  Error: {
    type: 'object',
    description: 'Every 4xx and 5xx JSON body. `field` and `rule` where they apply.',
    required: ['errors'],
    additionalProperties: false,
    properties: {
      errors: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['message'],
          additionalProperties: false,
          properties: {
            message: { type: 'string' },
            field: { type: 'string', description: 'The input field at fault' },
            rule: {
              type: 'string',
              description:
                'The rule that failed: Vine names (`required`, `email`, `minLength`, `database.unique`, …) or ours (`email_unverified`, `rate_limit`, `file.depth`, …)',
            },
          },
        },
      },
    },
  },
  Profile: {
    type: 'object',
    required: ['id', 'owner', 'profile_picture', 'bio'],
    additionalProperties: false,
    properties: {
      id,
      owner: { ...id, description: 'The user id' },
      profile_picture: mediaPath,
      bio: { type: 'string', maxLength: 500 },
    },
  },
  UserData: {
    type: 'object',
    description:
      '`email`, `email_verified` and `default_audience` only when the viewer is that user; `friendship` only when a bearer token is sent.',
    required: [
      'id',
      'username',
      'first_name',
      'last_name',
      'friends_visible',
      'profile_data',
      'created_at',
    ],
    additionalProperties: false,
    properties: {
      ...identity,
      email: { type: 'string', format: 'email' },
      email_verified: { type: 'boolean' },
      default_audience: {
        ...audience,
        description: 'The audience of new posts that do not name one',
      },
      friends_visible: {
        ...audience,
        description: 'Who may list this user’s friends (`GET /api/users/:id/friends`)',
      },
      friendship: {
        enum: ['none', 'friends', 'request_sent', 'request_received', 'self'],
      },
      profile_data: { $ref: '#/components/schemas/Profile' },
      created_at: timestamp,
    },
  },
  UserSummary: {
    type: 'object',
    description: 'How a user appears inside other objects',
    required: ['id', 'username', 'first_name', 'last_name', 'profile_picture'],
    additionalProperties: false,
    properties: {
      ...identity,
      profile_picture: mediaPath,
    },
  },
  AccessToken: {
    type: 'object',
    required: ['type', 'token', 'expires_at'],
    additionalProperties: false,
    properties: {
      type: { const: 'bearer' },
      token: { type: 'string', description: 'Send as `Authorization: Bearer <token>`' },
      expires_at: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  FriendRequest: {
    type: 'object',
    required: ['id', 'sender', 'receiver', 'status', 'created_at', 'updated_at'],
    additionalProperties: false,
    properties: {
      id,
      sender: { $ref: '#/components/schemas/UserSummary' },
      receiver: { $ref: '#/components/schemas/UserSummary' },
      status: { enum: ['pending', 'accepted', 'declined'] },
      created_at: timestamp,
      updated_at: timestamp,
    },
  },
  Post: {
    type: 'object',
    required: [
      'id',
      'author',
      'text',
      'image',
      'audience',
      'likes_count',
      'comments_count',
      'created_at',
      'updated_at',
      'liked',
      'edited_at',
    ],
    additionalProperties: false,
    properties: {
      id,
      author: { $ref: '#/components/schemas/UserSummary' },
      text: { type: ['string', 'null'], maxLength: 500 },
      image: { ...mediaPath, type: ['string', 'null'] },
      likes_count: { type: 'integer', minimum: 0 },
      comments_count: { type: 'integer', minimum: 0 },
      audience: {
        ...audience,
        description: '`friends`: seen by the author and their friends only',
      },
      created_at: timestamp,
      updated_at: timestamp,
      edited_at: {
        ...timestamp,
        type: ['string', 'null'],
        description: 'When the text last changed after posting (ISO 8601, UTC); null if never',
      },
      liked: {
        type: 'boolean',
        description: 'Whether the bearer token’s user likes it; false without a token',
      },
    },
  },
  Comment: {
    type: 'object',
    required: ['id', 'post_id', 'author', 'text', 'created_at'],
    additionalProperties: false,
    properties: {
      id,
      post_id: id,
      author: { $ref: '#/components/schemas/UserSummary' },
      text: { type: 'string', minLength: 1, maxLength: 500 },
      created_at: timestamp,
    },
  },
  Notification: {
    type: 'object',
    required: ['id', 'type', 'actor', 'post_id', 'read', 'created_at'],
    additionalProperties: false,
    properties: {
      id,
      type: { enum: ['friend_request', 'friend_accepted', 'comment', 'like', 'mention'] },
      actor: { $ref: '#/components/schemas/UserSummary' },
      post_id: {
        ...id,
        type: ['integer', 'null'],
        description: 'The post a comment, like or mention is about; null for the friend types',
      },
      read: { type: 'boolean' },
      created_at: timestamp,
    },
  },
  OpenApiDocument: {
    type: 'object',
    description: 'This document',
    required: ['openapi', 'info', 'paths'],
    properties: { openapi: { const: '3.1.0' } },
  },
} satisfies Record<string, Schema>

/** Headers every 429 carries (from @adonisjs/limiter). */
const rateLimitHeaders = {
  'Retry-After': {
    description: 'Seconds until a request is allowed again',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Limit': {
    description: 'Requests allowed in the window',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the window',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Reset': {
    description: 'When the window resets (ISO 8601)',
    schema: { type: 'string', format: 'date-time' },
  },
}

const error = (description: string, extra: Schema = {}) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
  ...extra,
})

/** Shared error answers, referenced as `#/components/responses/<name>`. */
export const responses = {
  MalformedBody: error('The body is not valid JSON or multipart'),
  Unauthenticated: error('No bearer token, or one that is invalid, expired or revoked'),
  Forbidden: error(
    'Not allowed: not the owner, or (with `rule: "email_unverified"`) the email is not confirmed yet'
  ),
  NotFound: error('No such resource'),
  Suspended: error(
    'The account is suspended by the moderators (`rule: "suspended"`): the right password signs nobody in until it is lifted'
  ),
  Conflict: error('The resource is not in a state that allows this'),
  PayloadTooLarge: error(
    'The body is over the size limit: 1 MB of JSON, 3 MB of multipart, or an upload over its own limit (a profile picture: 2 MB)'
  ),
  UnsupportedMediaType: error('The body is neither application/json nor multipart/form-data'),
  ValidationFailed: error('Invalid input: one entry per failed rule, with `field` and `rule`'),
  TooManyRequests: error('Rate limited: retry after `Retry-After` seconds', {
    headers: rateLimitHeaders,
  }),
  ServiceUnavailable: error('A dependency (MySQL, Redis) is down; retry shortly'),
}

export type ResponseName = keyof typeof responses

export const securitySchemes = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from `POST /api/auth/login`, valid 30 days',
  },
}
