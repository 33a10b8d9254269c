import { test } from '@japa/runner'
import { crc32 } from 'node:zlib'
import sharp from 'sharp'
import drive from '@adonisjs/drive/services/main'
import type { ApiClient } from '@japa/api-client'
import { send } from '#tests/integration/helpers/http'
import User from '#models/user'
import Profile from '#models/profile'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase, jpegWithExif, rawRequest, validRegistration, route } from '#tests/helpers'

type Result = { status: number; body: any; text: string; location?: string }

interface Tools {
  client: ApiClient
  /** A user with a bearer token, created for the case that needs one. */
  owner(): Promise<{ user: User; token: string }>
}

interface Case {
  name: string
  status: number
  /** The field and rule named in the error body, when the case is a 422. */
  field?: string
  rule?: string
  run(tools: Tools): Promise<Result>
  /** Further checks on what was stored or shown. */
  verify?(result: Result): Promise<void> | void
}

const fromApi = async (request: any): Promise<Result> => {
  const response = await request
  return {
    status: response.status(),
    body: response.body(),
    text: response.text(),
    location: response.header('location'),
  }
}

const fromFetch = async (path: string, init: RequestInit): Promise<Result> => {
  const response = await rawRequest(path, init)
  const text = await response.text()
  let body: any
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: response.status, body, text }
}

/** The API's one error, in words for people (not a library's). */
const saysOnly = (body: any, message: RegExp) => {
  if (body?.errors?.length !== 1 || !message.test(body.errors[0].message)) {
    throw new Error(`expected one error matching ${message}, got ${JSON.stringify(body)}`)
  }
}

const register = (overrides: Record<string, unknown>) => (t: Tools) =>
  fromApi(t.client.post(route('api.users.store')).json({ ...validRegistration, ...overrides }))

const rawJson =
  (path: string, body: string, method = 'POST') =>
  () =>
    fromFetch(path, { method, headers: { 'content-type': 'application/json' }, body })

const uploadPicture =
  (bytes: () => Promise<Buffer> | Buffer, filename: string, contentType?: string) =>
  async (t: Tools) => {
    const { user, token } = await t.owner()
    return fromApi(
      t.client
        .patch(route('api.profiles.update', { id: user.profile.id }))
        .bearerToken(token)
        .file('profile_picture', await bytes(), { filename, contentType })
    )
  }

const patchProfile = (field: string, value: string) => async (t: Tools) => {
  const { user, token } = await t.owner()
  return fromApi(
    t.client
      .patch(route('api.profiles.update', { id: user.profile.id }))
      .bearerToken(token)
      .field(field, value)
  )
}

/** A PNG whose header claims 60,000 × 60,000 pixels: a decompression bomb. */
function pngBomb() {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(60_000, 0)
  header.writeUInt32BE(60_000, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', Buffer.alloc(16)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const backTo = (path: string) => (result: Result) => {
  if (result.location !== path) throw new Error(`redirected to ${result.location}, not ${path}`)
}

const expectStoredName = (expected: string) => async (result: Result) => {
  const user = await User.findOrFail(result.body.id)
  if (user.firstName !== expected) throw new Error(`stored ${user.firstName}, expected ${expected}`)
}

const CASES: Case[] = [
  // Registration: syntax and content types
  {
    name: 'malformed JSON',
    status: 400,
    run: rawJson('/api/users', '{"username": "ada",'),
    verify: ({ body }) => saysOnly(body, /^The body is not valid JSON \(.+\)$/),
  },
  { name: 'JSON cut short', status: 400, run: rawJson('/api/users', '{') },
  {
    name: 'JSON nested 100,000 levels deep',
    status: 400,
    run: rawJson('/api/users', '['.repeat(100_000) + ']'.repeat(100_000)),
    verify: ({ body }) => saysOnly(body, /^The JSON body is nested too deeply$/),
  },
  {
    name: 'a JSON string instead of an object',
    status: 400,
    run: rawJson('/api/users', '"ada"'),
    verify: ({ body }) => saysOnly(body, /^The body must be a JSON object$/),
  },
  {
    name: 'a body that is not JSON and opens with neither { nor [',
    status: 400,
    run: rawJson('/api/users', 'garbage'),
    verify: ({ body }) => saysOnly(body, /^The body must be a JSON object$/),
  },
  ...(['gzip', 'deflate', 'br'] as const).map((encoding): Case => ({
    name: `a body its Content-Encoding (${encoding}) misnames`,
    status: 400,
    run: () =>
      fromFetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: '{"uid": "ada", "password": "not compressed"}',
      }),
    verify: ({ body }) =>
      saysOnly(
        body,
        /^The body could not be decompressed: it is not what its Content-Encoding says$/
      ),
  })),
  {
    name: 'a form its Content-Encoding misnames',
    status: 400,
    run: () =>
      fromFetch('/register', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'br' },
        body: 'username=ada',
      }),
  },
  {
    name: 'an empty JSON object',
    status: 422,
    field: 'username',
    rule: 'required',
    run: rawJson('/api/users', '{}'),
  },
  {
    name: 'a JSON array',
    status: 422,
    field: 'username',
    rule: 'required',
    run: rawJson('/api/users', '[1, 2]'),
  },
  {
    name: 'a text/plain body',
    status: 415,
    run: () =>
      fromFetch('/api/users', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      }),
  },
  {
    name: 'a form-encoded body to the JSON API',
    status: 415,
    run: () =>
      fromFetch('/api/users', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=ada',
      }),
  },
  {
    name: 'a JSON body over 1 MB',
    status: 413,
    run: rawJson(
      '/api/users',
      JSON.stringify({ ...validRegistration, bio: 'x'.repeat(1_100_000) })
    ),
    verify: ({ body }) => saysOnly(body, /^This request is larger than the server accepts$/),
  },
  // Registration: missing, extra and mistyped fields
  {
    name: 'no first_name',
    status: 422,
    field: 'first_name',
    rule: 'required',
    run: register({ first_name: undefined }),
  },
  {
    name: 'a null password',
    status: 422,
    field: 'password',
    rule: 'required',
    run: register({ password: null }),
  },
  {
    name: 'a numeric username',
    status: 422,
    field: 'username',
    rule: 'string',
    run: register({ username: 12345 }),
  },
  {
    name: 'an array as email',
    status: 422,
    field: 'email',
    rule: 'string',
    run: register({ email: ['a@b.co'] }),
  },
  {
    name: 'an object as last_name',
    status: 422,
    field: 'last_name',
    rule: 'string',
    run: register({ last_name: { x: 1 } }),
  },
  {
    name: 'a boolean password',
    status: 422,
    field: 'password',
    rule: 'string',
    run: register({ password: true }),
  },
  {
    name: 'extra fields (id, is_admin) are ignored',
    status: 201,
    run: register({ id: 999, is_admin: true, password_hash: 'x' }),
    verify: (result) => {
      if (result.body.id === 999 || 'is_admin' in result.body) throw new Error('extra field used')
    },
  },
  // Registration: lengths, characters, injection-looking strings
  {
    name: 'a 2-character username',
    status: 422,
    field: 'username',
    rule: 'minLength',
    run: register({ username: 'ab' }),
  },
  {
    name: 'a 151-character username',
    status: 422,
    field: 'username',
    rule: 'maxLength',
    run: register({ username: 'a'.repeat(151) }),
  },
  {
    name: 'a 151-character first name',
    status: 422,
    field: 'first_name',
    rule: 'maxLength',
    run: register({ first_name: 'A'.repeat(151) }),
  },
  {
    name: 'a 10,000-character last name',
    status: 422,
    field: 'last_name',
    rule: 'maxLength',
    run: register({ last_name: 'L'.repeat(10_000) }),
  },
  {
    name: 'a 255-character email',
    status: 422,
    field: 'email',
    rule: 'maxLength',
    run: register({ email: `${'e'.repeat(243)}@example.com` }),
  },
  {
    name: 'a 129-character password',
    status: 422,
    field: 'password',
    rule: 'maxLength',
    run: register({ password: 'p'.repeat(129) }),
  },
  {
    name: 'a whitespace-only first name',
    status: 422,
    field: 'first_name',
    rule: 'minLength',
    run: register({ first_name: '   ' }),
  },
  {
    name: 'an emoji username',
    status: 422,
    field: 'username',
    rule: 'regex',
    run: register({ username: 'ada😀' }),
  },
  {
    name: 'a username with a NUL byte',
    status: 422,
    field: 'username',
    rule: 'controlCharacters',
    run: register({ username: 'ada\u0000x' }),
  },
  {
    name: 'a path-like username',
    status: 422,
    field: 'username',
    rule: 'regex',
    run: register({ username: '../admin' }),
  },
  {
    name: 'an SQL-looking username',
    status: 422,
    field: 'username',
    rule: 'regex',
    run: register({ username: "ada'--" }),
  },
  {
    name: 'an email without a domain',
    status: 422,
    field: 'email',
    rule: 'email',
    run: register({ email: 'ada@' }),
  },
  {
    name: 'an email with spaces',
    status: 422,
    field: 'email',
    rule: 'email',
    run: register({ email: 'a da@example.com' }),
  },
  {
    name: 'an SQL-looking first name is stored as typed',
    status: 201,
    run: register({ first_name: "Robert'); DROP TABLE users;--" }),
    verify: expectStoredName("Robert'); DROP TABLE users;--"),
  },
  {
    name: 'an emoji first name is stored intact',
    status: 201,
    run: register({ first_name: 'Ada 👩‍💻' }),
    verify: expectStoredName('Ada 👩‍💻'),
  },
  {
    name: 'a Unicode username',
    status: 201,
    run: register({ username: 'Łukasz_Żółć' }),
  },
  {
    name: 'a script in the first name is shown escaped',
    status: 201,
    run: register({ first_name: '<script>alert(1)</script>' }),
    verify: async (result) => {
      const page = await (await rawRequest(`/users/${result.body.id}`, {})).text()
      if (page.includes('<script>alert(1)')) throw new Error('script rendered raw')
      if (!page.includes('&lt;script&gt;alert(1)&lt;/script&gt;')) throw new Error('name not shown')
    },
  },
  // HTML forms: a failed form goes back to itself with its messages
  {
    name: 'the register form with an invalid email',
    status: 302,
    run: (t) =>
      fromApi(
        t.client
          .post(route('register.store'))
          .header('referer', route('register'))
          .form({ ...validRegistration, email: 'nope' })
          .withCsrfToken()
          .redirects(0)
      ),
    verify: backTo('/register'),
  },
  {
    name: 'the register form with an emoji username',
    status: 302,
    run: (t) =>
      fromApi(
        t.client
          .post(route('register.store'))
          .header('referer', route('register'))
          .form({ ...validRegistration, username: '😀😀😀' })
          .withCsrfToken()
          .redirects(0)
      ),
    verify: backTo('/register'),
  },
  {
    name: 'the sign-in form with a 10,000-character uid',
    status: 302,
    run: (t) =>
      fromApi(
        t.client
          .post(route('login.store'))
          .header('referer', route('login'))
          .form({ uid: 'u'.repeat(10_000), password: 'x' })
          .withCsrfToken()
          .redirects(0)
      ),
    verify: backTo('/login'),
  },
  {
    name: 'the profile form with a text file named .png',
    status: 302,
    run: async (t) => {
      const { user } = await t.owner()
      const edit = `/profiles/${user.profile.id}/edit`
      return fromApi(
        t.client
          .put(route('profiles.update', { id: user.profile.id }))
          .header('referer', edit)
          .loginAs(user)
          .withCsrfToken()
          .file('profile_picture', Buffer.from('text'), { filename: 'x.png' })
          .redirects(0)
      )
    },
    verify: (result) => {
      if (!result.location?.endsWith('/edit')) throw new Error(`went to ${result.location}`)
    },
  },
  {
    name: 'the register form without its CSRF token creates nothing',
    status: 302,
    run: (t) =>
      fromApi(
        t.client
          .post(route('register.store'))
          .header('referer', route('register'))
          .form(validRegistration)
          .redirects(0)
      ),
    verify: async () => {
      if (await User.findBy('username', validRegistration.username)) throw new Error('user created')
    },
  },
  // Sign-in
  {
    name: 'sign-in without a password',
    status: 422,
    field: 'password',
    rule: 'required',
    run: (t) => fromApi(t.client.post(route('api.auth.login')).json({ uid: 'ada' })),
  },
  {
    name: 'sign-in with a numeric password',
    status: 422,
    field: 'password',
    rule: 'string',
    run: (t) =>
      fromApi(t.client.post(route('api.auth.login')).json({ uid: 'ada', password: 12345678 })),
  },
  {
    name: 'sign-in with a 10,000-character uid',
    status: 422,
    field: 'uid',
    rule: 'maxLength',
    run: (t) =>
      fromApi(
        t.client
          .post(route('api.auth.login'))
          .json({ uid: 'u'.repeat(10_000), password: 'whatever1' })
      ),
  },
  { name: 'sign-in with malformed JSON', status: 400, run: rawJson('/api/auth/login', '{"uid":') },
  {
    name: 'sign-in with an SQL-looking uid',
    status: 401,
    run: (t) =>
      fromApi(
        t.client.post(route('api.auth.login')).json({ uid: "' OR 1=1 --", password: 'whatever1' })
      ),
  },
  // Ids
  ...['abc', '-1', '0', '1.5', '99999999999999999999999', '%00', '1e3'].map((id): Case => ({
    name: `GET /api/users/${id}`,
    status: 404,
    run: (t) => fromApi(t.client.get(route('api.users.show', { id }))),
  })),
  { name: 'GET /users/abc (page)', status: 404, run: () => fromFetch('/users/abc', {}) },
  {
    name: 'PATCH /api/profiles/abc',
    status: 404,
    run: async (t) =>
      fromApi(
        t.client
          .patch('/api/profiles/abc')
          .bearerToken((await t.owner()).token)
          .field('bio', 'x')
      ),
  },
  {
    name: 'PATCH /api/profiles/18446744073709551616',
    status: 404,
    run: async (t) =>
      fromApi(
        t.client
          .patch('/api/profiles/18446744073709551616')
          .bearerToken((await t.owner()).token)
          .field('bio', 'x')
      ),
  },
  // Profile updates and pictures
  {
    name: 'a zero-byte picture',
    status: 422,
    field: 'profile_picture',
    rule: 'file.image',
    run: uploadPicture(() => Buffer.alloc(0), 'empty.png'),
  },
  {
    name: 'a text file named .png',
    status: 422,
    field: 'profile_picture',
    rule: 'file.image',
    run: uploadPicture(() => Buffer.from('hello world'), 'note.png', 'image/png'),
  },
  {
    name: 'an SVG with a script',
    status: 422,
    field: 'profile_picture',
    rule: 'file.image',
    run: uploadPicture(
      () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      'x.svg',
      'image/svg+xml'
    ),
  },
  {
    name: 'a decompression bomb',
    status: 422,
    field: 'profile_picture',
    rule: 'file.dimensions',
    run: uploadPicture(pngBomb, 'bomb.png'),
  },
  {
    name: 'a picture over 2 MB',
    status: 413,
    field: 'profile_picture',
    rule: 'file.size',
    run: uploadPicture(() => Buffer.alloc(2 * 1024 * 1024 + 10, 7), 'big.jpg'),
  },
  {
    name: 'a form with more text fields than the server reads, and no picture',
    status: 413,
    run: async (t) => {
      const { user, token } = await t.owner()
      const form = new FormData()
      for (let i = 0; i <= 50; i++) form.append(`field${i}`, 'x')
      return fromFetch(route('api.profiles.update', { id: user.profile.id }), {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      })
    },
    verify: ({ body }) =>
      saysOnly(body, /^The form has more fields, or longer ones, than the server accepts$/),
  },
  {
    // Raw HTTP: the server answers before the upload ends and closes the
    // connection, which this client expects (the api client reports it).
    name: 'a multipart body over the 3 MB limit',
    status: 413,
    run: async (t) => {
      const { user, token } = await t.owner()
      const response = await send(
        `http://${process.env.HOST}:${process.env.PORT}/api/profiles/${user.profile.id}`,
        {
          method: 'PATCH',
          headers: {
            'authorization': `Bearer ${token}`,
            'content-type': 'multipart/form-data; boundary=x',
          },
          body: Buffer.concat([
            Buffer.from(
              '--x\r\nContent-Disposition: form-data; name="profile_picture"; filename="huge.jpg"\r\n' +
                'Content-Type: image/jpeg\r\n\r\n'
            ),
            Buffer.alloc(3 * 1024 * 1024 + 10, 7),
            Buffer.from('\r\n--x--\r\n'),
          ]),
        }
      )
      return { status: response.status, body: JSON.parse(response.text), text: response.text }
    },
  },
  {
    name: 'a JPEG with HTML appended (polyglot) is re-encoded clean',
    status: 200,
    run: uploadPicture(
      async () => Buffer.concat([await jpegWithExif(), Buffer.from('<script>alert(1)</script>')]),
      'poly.jpg'
    ),
    verify: async (result) => {
      const stored = await drive.use().getBytes(result.body.profile_picture.replace('/media/', ''))
      if (Buffer.from(stored).includes('<script')) throw new Error('payload survived')
      if ((await sharp(stored).metadata()).format !== 'webp') throw new Error('not re-encoded')
    },
  },
  {
    name: 'a path-traversal file name is never used',
    status: 200,
    run: uploadPicture(() => jpegWithExif(), '../../../etc/passwd.jpg'),
    verify: (result) => {
      if (!/^\/media\/profile_pics\/[0-9a-f-]{36}\.webp$/.test(result.body.profile_picture)) {
        throw new Error(`unexpected key ${result.body.profile_picture}`)
      }
    },
  },
  {
    name: 'profile_picture sent as text',
    status: 422,
    field: 'profile_picture',
    rule: 'file',
    run: patchProfile('profile_picture', 'not a file'),
  },
  {
    name: 'a 501-character bio',
    status: 422,
    field: 'bio',
    rule: 'maxLength',
    run: patchProfile('bio', 'b'.repeat(501)),
  },
  {
    name: 'a bio as a JSON number',
    status: 422,
    field: 'bio',
    rule: 'string',
    run: async (t) => {
      const { user, token } = await t.owner()
      return fromApi(
        t.client
          .patch(route('api.profiles.update', { id: user.profile.id }))
          .bearerToken(token)
          .json({ bio: 42 })
      )
    },
  },
  {
    name: 'HTML in a bio is stored as typed and shown escaped',
    status: 200,
    run: patchProfile('bio', '<img src=x onerror=alert(1)>'),
    verify: async (result) => {
      const profile = await Profile.findOrFail(result.body.id)
      if (profile.bio !== '<img src=x onerror=alert(1)>') throw new Error('bio altered')
      const page = await (await rawRequest(`/users/${profile.userId}`, {})).text()
      if (page.includes('<img src=x')) throw new Error('bio rendered raw')
    },
  },
]

test.group('Bad input never gets a 5xx', (group) => {
  isolateDatabase(group)
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })
  let tried = 0
  group.teardown(() => {
    console.log(`bad input: ${tried} of ${CASES.length} cases tried, none answered 5xx`)
  })

  test('{name} → {status}')
    .with(CASES)
    .run(async ({ client, assert }, testCase) => {
      const tools: Tools = {
        client,
        owner: async () => {
          const user = await UserFactory.create()
          const token = await User.accessTokens.create(user)
          return { user, token: token.value!.release() }
        },
      }
      const result = await testCase.run(tools)

      assert.isBelow(result.status, 500, result.text)
      assert.equal(result.status, testCase.status, result.text)
      if (result.status >= 400 && result.body?.errors) {
        assert.isNotEmpty(result.body.errors)
        for (const error of result.body.errors) assert.isString(error.message)
      }
      if (testCase.field) {
        assert.deepInclude(
          result.body.errors.map((e: any) => ({ field: e.field, rule: e.rule })),
          { field: testCase.field, rule: testCase.rule }
        )
      }
      await testCase.verify?.(result)
      tried++
    })
})
