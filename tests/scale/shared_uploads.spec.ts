import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import sharp from 'sharp'
import app from '@adonisjs/core/services/app'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { jpegWithExif, truncateTables, waitUntil } from '#tests/helpers'
import { send } from '#tests/integration/helpers/http'
import type { BuiltApp } from '#tests/integration/helpers/built_app'
import { BUCKET, SharedUploadsStack } from './helpers/shared_uploads_stack.js'

/**
 * DRIVE_DISK=s3 on several machines (README, Scale-out): whichever replica
 * took a picture, every replica and Nginx serve it from the bucket, and a
 * picture replaced or deleted leaves the bucket.
 */

/** A multipart request with one picture, as an API client sends it. */
async function sendPicture(
  replica: BuiltApp,
  token: string,
  { method, path, field }: { method: string; path: string; field: string }
) {
  const form = new FormData()
  form.append(field, new Blob([await jpegWithExif(300, 200)], { type: 'image/jpeg' }), 'me.jpg')
  const response = await fetch(`http://${replica.address}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    body: form,
  })
  const body = await response.json()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(body)}`)
  return body
}

function uploadProfilePicture(replica: BuiltApp, token: string, userId: number) {
  return sendPicture(replica, token, {
    method: 'PUT',
    path: `/api/profiles/${userId}`,
    field: 'profile_picture',
  }).then((profile) => profile.profile_picture as string)
}

/** A new user and an API token of theirs. */
async function userWithToken() {
  const user = await UserFactory.create()
  return { user, token: await SharedUploadsStack.tokenFor(user) }
}

const keyOf = (url: string) => url.replace(/^\/media\//, '')

test.group('Uploads shared by app replicas through an S3 bucket', (group) => {
  let stack: SharedUploadsStack

  group.setup(async () => {
    await truncateTables()
    stack = await SharedUploadsStack.start()
    return async () => {
      await stack.stop()
      await truncateTables()
    }
  })

  test('a picture uploaded through one replica is served by the other and by Nginx', async ({
    assert,
  }) => {
    const [first, second] = stack.replicas
    const { user, token } = await userWithToken()
    const url = await uploadProfilePicture(first, token, user.id)
    assert.match(url, /^\/media\/profile_pics\/[0-9a-f-]{36}\.webp$/)

    const stored = await stack.s3.object(BUCKET, keyOf(url))
    assert.equal((await sharp(stored).metadata()).format, 'webp')
    // Not on the machine's own disk: the built app's fs location stays empty.
    assert.isFalse(existsSync(app.makePath('build/storage', keyOf(url))))

    for (const where of [`http://${second.address}${url}`, stack.nginx.url(url)]) {
      const response = await send(where)
      assert.equal(response.status, 200, where)
      assert.isTrue(response.body.equals(stored), where)
      assert.equal(response.headers['content-type'], 'image/webp', where)
      assert.equal(response.headers['x-content-type-options'], 'nosniff', where)
      assert.include(response.headers['cache-control']!, 'max-age=604800', where)
    }
    // Nginx's own media folder lacks the file: it asked a replica.
    let line = ''
    await waitUntil(async () => {
      line = (await stack.nginx.accessLog()).split('\n').find((entry) => entry.includes(url)) ?? ''
      return line !== ''
    })
    assert.match(line, new RegExp(`upstream=(${first.address}|${second.address})`))
    assert.include(line, '" 200 ')
  })

  test('a replaced profile picture leaves the bucket, and no replica serves it', async ({
    assert,
  }) => {
    const [first, second] = stack.replicas
    const { user, token } = await userWithToken()
    const old = await uploadProfilePicture(first, token, user.id)
    const replacement = await uploadProfilePicture(second, token, user.id)

    const keys = await stack.s3.keys(BUCKET)
    assert.include(keys, keyOf(replacement))
    assert.notInclude(keys, keyOf(old))
    for (const where of [`http://${first.address}${old}`, stack.nginx.url(old)]) {
      assert.equal((await send(where)).status, 404, where)
    }
    assert.equal((await send(`http://${first.address}${replacement}`)).status, 200)
  })

  test('a deleted post and a deleted account take their pictures out of the bucket', async ({
    assert,
  }) => {
    const [first, second] = stack.replicas
    const { user, token } = await userWithToken()
    const postFields = { method: 'POST', path: '/api/posts', field: 'image' }
    const deleted = await sendPicture(first, token, postFields)
    const kept = await sendPicture(first, token, postFields)
    const picture = await uploadProfilePicture(first, token, user.id)
    const keys = [deleted.image, kept.image, picture].map(keyOf)
    assert.includeMembers(await stack.s3.keys(BUCKET), keys)

    const removal = await fetch(`http://${second.address}/api/posts/${deleted.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(removal.status, 204)
    assert.notInclude(await stack.s3.keys(BUCKET), keys[0])

    // The account's files are removed by the worker's job, off the request.
    const goodbye = await fetch(`http://${second.address}/api/me`, {
      method: 'DELETE',
      headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: FACTORY_PASSWORD }),
    })
    assert.equal(goodbye.status, 204)
    await waitUntil(async () => {
      const left = await stack.s3.keys(BUCKET)
      return !keys.some((key) => left.includes(key))
    }, 20_000)
  })
})
