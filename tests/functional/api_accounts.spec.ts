import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import User from '#models/user'
import Post from '#models/post'
import { ReadRouting } from '#services/database/read_routing'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { isolateDatabase, rawRequest, validRegistration, route } from '#tests/helpers'

test.group('API / register', (group) => {
  isolateDatabase(group)

  test('creates a user with a profile and answers 201 with the user data', async ({
    client,
    assert,
  }) => {
    const response = await client.post(route('api.users.store')).json(validRegistration)

    response.assertStatus(201)
    const body = response.body()
    assert.containsSubset(body, {
      username: 'ada',
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      profile_data: {
        owner: body.id,
        bio: '',
        profile_picture: '/static/images/default-avatar.svg',
      },
    })
    assert.match(body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    // As every later read shows it (the column keeps whole seconds).
    const token = await User.accessTokens.create(await User.findOrFail(body.id))
    const me = await client.get(route('api.me')).bearerToken(token.value!.release())
    assert.equal(me.body().created_at, body.created_at)
    assert.notProperty(body, 'password')
    assert.notInclude(response.text(), 'argon2')

    const user = await User.findOrFail(body.id)
    await user.load('profile')
    assert.equal(user.profile.id, body.profile_data.id)
  })

  test('the new user is the person the request acted for: their next reads go to the primary', async ({
    client,
    assert,
  }) => {
    // With no replicas here the mark itself is not stored; what sets it is checked.
    const actedFor: number[] = []
    const readRouting = await app.container.make(ReadRouting)
    const actingFor = readRouting.actingFor
    readRouting.actingFor = async (userId) => {
      actedFor.push(userId)
    }
    try {
      const response = await client.post(route('api.users.store')).json(validRegistration)
      response.assertStatus(201)
      assert.deepEqual(actedFor, [response.body().id])
    } finally {
      readRouting.actingFor = actingFor
    }
  })

  test('refuses {field} with 422 and the rule that failed')
    .with([
      { field: 'username', value: 'ab', rule: 'minLength' },
      { field: 'username', value: 'has space', rule: 'regex' },
      { field: 'username', value: 'x'.repeat(151), rule: 'maxLength' },
      { field: 'email', value: 'not-an-email', rule: 'email' },
      { field: 'first_name', value: undefined, rule: 'required' },
      { field: 'last_name', value: '', rule: 'required' },
      { field: 'password', value: 'short', rule: 'minLength' },
      { field: 'password', value: 'p'.repeat(129), rule: 'maxLength' },
      { field: 'password', value: 'ada', rule: 'minLength' },
    ])
    .run(async ({ client, assert }, { field, value, rule }) => {
      const response = await client
        .post(route('api.users.store'))
        .json({ ...validRegistration, [field]: value })
      response.assertStatus(422)
      const errors = response.body().errors
      assert.deepInclude(
        errors.map((e: any) => ({ field: e.field, rule: e.rule })),
        { field, rule }
      )
      assert.isString(errors[0].message)
      assert.isNull(await User.first())
    })

  test('refuses a password equal to the username', async ({ client }) => {
    const response = await client
      .post(route('api.users.store'))
      .json({ ...validRegistration, username: 'lovelace1', password: 'lovelace1' })
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'password', rule: 'notSameAs' }] })
  })

  test('messages are written for people, naming fields as people read them', async ({ client }) => {
    const response = await client
      .post(route('api.users.store'))
      .json({ ...validRegistration, first_name: '', email: 'nope' })
    response.assertStatus(422)
    response.assertBodyContains({
      errors: [
        {
          field: 'email',
          rule: 'email',
          message: 'Enter a valid email address, like name@example.com',
        },
        { field: 'first_name', rule: 'required', message: 'Please fill in the first name' },
      ],
    })
  })

  test('refuses a username or email taken in another case', async ({ client }) => {
    ;(await client.post(route('api.users.store')).json(validRegistration)).assertStatus(201)

    const sameName = await client
      .post(route('api.users.store'))
      .json({ ...validRegistration, username: 'ADA', email: 'other@example.com' })
    sameName.assertStatus(422)
    sameName.assertBodyContains({ errors: [{ field: 'username', rule: 'database.unique' }] })

    const sameEmail = await client
      .post(route('api.users.store'))
      .json({ ...validRegistration, username: 'ada2', email: 'ADA@Example.com' })
    sameEmail.assertStatus(422)
    sameEmail.assertBodyContains({ errors: [{ field: 'email', rule: 'database.unique' }] })
  })

  test('malformed JSON is a 400 in the error shape', async ({ assert }) => {
    const response = await rawRequest('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": "ada",',
    })
    assert.equal(response.status, 400)
    const body = (await response.json()) as { errors: { message: string }[] }
    assert.isString(body.errors[0].message)
  })
})

test.group('API / access tokens', (group) => {
  isolateDatabase(group)

  test('signs in with the username or the email in any case', async ({ client, assert }) => {
    const user = await UserFactory.create()
    for (const uid of [user.username, user.email.toUpperCase()]) {
      const response = await client
        .post(route('api.auth.login'))
        .json({ uid, password: FACTORY_PASSWORD })
      response.assertStatus(200)
      assert.equal(response.body().type, 'bearer')
      assert.match(response.body().token, /^gs_/)
      assert.isAbove(Date.parse(response.body().expires_at), Date.now())
      // To the second, as the token's row keeps it.
      assert.match(response.body().expires_at, /:\d\d\.000Z$/)
    }
  })

  test('wrong password and unknown user get the same 401', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const wrong = await client
      .post(route('api.auth.login'))
      .json({ uid: user.username, password: 'nope-nope' })
    const unknown = await client
      .post(route('api.auth.login'))
      .json({ uid: 'nobody', password: 'nope-nope' })
    wrong.assertStatus(401)
    unknown.assertStatus(401)
    assert.deepEqual(wrong.body(), unknown.body())
    assert.isString(wrong.body().errors[0].message)
  })

  test('missing fields are a 422', async ({ client }) => {
    const response = await client.post(route('api.auth.login')).json({ uid: 'ada' })
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'password', rule: 'required' }] })
  })

  test('a token reads /api/me; after logout it stops working', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const login = await client
      .post(route('api.auth.login'))
      .json({ uid: user.username, password: FACTORY_PASSWORD })
    const token = login.body().token

    const me = await client.get(route('api.me')).bearerToken(token)
    me.assertStatus(200)
    assert.equal(me.body().email, user.email)
    assert.equal(me.body().profile_data.owner, user.id)

    const logout = await client.post(route('api.auth.logout')).bearerToken(token)
    logout.assertStatus(204)

    const after = await client.get(route('api.me')).bearerToken(token)
    after.assertStatus(401)
    assert.isString(after.body().errors[0].message)
  })

  test('/api/me and logout without a token are 401', async ({ client }) => {
    ;(await client.get(route('api.me'))).assertStatus(401)
    ;(await client.post(route('api.auth.logout'))).assertStatus(401)
  })
})

test.group('API / users', (group) => {
  isolateDatabase(group)

  test('anyone reads user data without the email', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client.get(route('api.users.show', { id: user.id }))
    response.assertStatus(200)
    assert.equal(response.body().username, user.username)
    assert.notProperty(response.body(), 'email')
    assert.notProperty(response.body(), 'password')
  })

  test('the owner sees their email, another user does not', async ({ client, assert }) => {
    const [owner, other] = await UserFactory.createMany(2)
    const mine = await client
      .get(route('api.users.show', { id: owner.id }))
      .withGuard('api')
      .loginAs(owner)
    assert.equal(mine.body().email, owner.email)

    const theirs = await client
      .get(route('api.users.show', { id: owner.id }))
      .withGuard('api')
      .loginAs(other)
    theirs.assertStatus(200)
    assert.notProperty(theirs.body(), 'email')
  })

  test('an invalid token is a 401, not a silent guest, on every read open to guests')
    .with([
      '/api/users/:user',
      '/api/users?q=ada',
      '/api/users/:user/posts',
      '/api/users/:user/friends',
      '/api/posts/:post',
      '/api/posts/:post/comments',
      '/api/posts/:post/likes',
    ])
    .run(async ({ client }, path) => {
      const user = await UserFactory.create()
      const post = await Post.create({ userId: user.id, text: 'Open to everyone' })
      const url = path.replace(':user', String(user.id)).replace(':post', String(post.id))
      ;(await client.get(url)).assertStatus(200)
      ;(await client.get(url).bearerToken('gs_bogus.token')).assertStatus(401)
    })

  test('unknown, non-numeric and huge ids are 404 in the error shape')
    .with(['999999', 'abc', '-1', '99999999999999999999999999'])
    .run(async ({ client, assert }, id) => {
      const response = await client.get(route('api.users.show', { id }))
      response.assertStatus(404)
      assert.isString(response.body().errors[0].message)
    })
})
