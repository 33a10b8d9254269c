import { test } from '@japa/runner'
import sharp from 'sharp'
import drive from '@adonisjs/drive/services/main'
import Profile from '#models/profile'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase, jpegWithExif, route } from '#tests/helpers'

test.group('API / update profile', (group) => {
  isolateDatabase(group)
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })

  test('the owner changes the bio with PATCH and PUT', async ({ client, assert }) => {
    const user = await UserFactory.create()
    for (const method of ['patch', 'put'] as const) {
      const bio = `Written with ${method}`
      const response = await client[method](route('api.profiles.update', { id: user.profile.id }))
        .withGuard('api')
        .loginAs(user)
        .field('bio', bio)
      response.assertStatus(200)
      assert.deepEqual(response.body(), {
        id: user.profile.id,
        owner: user.id,
        bio,
        profile_picture: '/static/images/default-avatar.svg',
      })
    }
  })

  test('a picture is re-encoded as a square WebP without EXIF', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client
      .patch(route('api.profiles.update', { id: user.profile.id }))
      .withGuard('api')
      .loginAs(user)
      .file('profile_picture', await jpegWithExif(300, 200), { filename: 'holiday.jpg' })

    response.assertStatus(200)
    const url: string = response.body().profile_picture
    assert.match(url, /^\/media\/profile_pics\/[0-9a-f-]{36}\.webp$/)
    assert.notInclude(url, 'holiday')

    const stored = await drive.use().getBytes(url.replace('/media/', ''))
    const metadata = await sharp(stored).metadata()
    assert.equal(metadata.format, 'webp')
    assert.equal(metadata.width, metadata.height)
    assert.isUndefined(metadata.exif)
  })

  test('replacing a picture removes the old file', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const upload = async () =>
      (
        await client
          .patch(route('api.profiles.update', { id: user.profile.id }))
          .withGuard('api')
          .loginAs(user)
          .file('profile_picture', await jpegWithExif(), { filename: 'a.jpg' })
      ).body().profile_picture as string

    const first = (await upload()).replace('/media/', '')
    const second = (await upload()).replace('/media/', '')
    assert.notEqual(first, second)
    assert.isFalse(await drive.use().exists(first))
    assert.isTrue(await drive.use().exists(second))
  })

  test('a text file named .jpg is a 422 and nothing changes', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client
      .patch(route('api.profiles.update', { id: user.profile.id }))
      .withGuard('api')
      .loginAs(user)
      .file('profile_picture', Buffer.from('just some text, not an image'), {
        filename: 'fake.jpg',
        contentType: 'image/jpeg',
      })
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'profile_picture', rule: 'file.image' }] })
    const profile = await Profile.findByOrFail('userId', user.id)
    assert.isNull(profile.profilePicture)
  })

  test('a picture over the size limit is a 413', async ({ client }) => {
    const user = await UserFactory.create()
    const response = await client
      .patch(route('api.profiles.update', { id: user.profile.id }))
      .withGuard('api')
      .loginAs(user)
      .file('profile_picture', Buffer.alloc(2 * 1024 * 1024 + 1, 1), { filename: 'big.png' })
    response.assertStatus(413)
    response.assertBodyContains({ errors: [{ field: 'profile_picture', rule: 'file.size' }] })
  })

  test('a bio over 500 characters is a 422', async ({ client }) => {
    const user = await UserFactory.create()
    const response = await client
      .patch(route('api.profiles.update', { id: user.profile.id }))
      .withGuard('api')
      .loginAs(user)
      .field('bio', 'b'.repeat(501))
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'bio', rule: 'maxLength' }] })
  })

  test('another user gets 403 and the profile is unchanged', async ({ client, assert }) => {
    const [owner, intruder] = await UserFactory.createMany(2)
    const response = await client
      .patch(route('api.profiles.update', { id: owner.profile.id }))
      .withGuard('api')
      .loginAs(intruder)
      .field('bio', 'hacked')
    response.assertStatus(403)
    assert.isString(response.body().errors[0].message)
    assert.equal((await Profile.findByOrFail('userId', owner.id)).bio, '')
  })

  test('no token is a 401; an unknown profile is a 404', async ({ client }) => {
    const user = await UserFactory.create()
    ;(
      await client.patch(route('api.profiles.update', { id: user.profile.id })).field('bio', 'x')
    ).assertStatus(401)
    ;(
      await client
        .patch(route('api.profiles.update', { id: 999999 }))
        .withGuard('api')
        .loginAs(user)
        .field('bio', 'x')
    ).assertStatus(404)
  })
})
