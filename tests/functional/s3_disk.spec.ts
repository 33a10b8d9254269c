import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import sharp from 'sharp'
import app from '@adonisjs/core/services/app'
import { Disk, services } from '@adonisjs/drive'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { s3Options } from '#config/drive'
import { S3TestServer } from '#tests/integration/helpers/s3_server'

const BUCKET = 'gsocial-disk'

/** The app's s3 disk (config/drive.ts's options) on the test server's bucket. */
async function s3Disk(server: S3TestServer, bucket = BUCKET) {
  const createDriver = await services.s3(s3Options(server.settings(bucket))).resolver('s3', app, [])
  return new Disk(createDriver())
}

/** A picture as the app stores it: a WebP of a few hundred kB of noise (no compression helps). */
function noiseWebp() {
  const [width, height] = [600, 400]
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .webp({ quality: 90 })
    .toBuffer()
}

test.group('The s3 disk on a real S3-compatible server (s3rver)', (group) => {
  let server: S3TestServer

  group.setup(async () => {
    server = await S3TestServer.start()
    const client = server.client(BUCKET)
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }))
    client.destroy()
    return () => server.stop()
  })

  test('stores a picture byte for byte, from a buffer or a stream', async ({ assert }) => {
    const disk = await s3Disk(server)
    const picture = await noiseWebp()
    await disk.put('post_images/buffer.webp', picture, { contentType: 'image/webp' })
    // A stream is what the SDK sends aws-chunked with a trailing checksum by
    // default, which s3rver keeps as is: without the WHEN_REQUIRED settings
    // the bytes read back differ.
    await disk.putStream('post_images/stream.webp', Readable.from([picture]), {
      contentType: 'image/webp',
      contentLength: picture.length,
    })

    for (const key of ['post_images/buffer.webp', 'post_images/stream.webp']) {
      const stored = Buffer.from(await disk.getBytes(key))
      assert.isTrue(stored.equals(picture), key)
      const metadata = await disk.getMetaData(key)
      assert.equal(metadata.contentType, 'image/webp')
      assert.equal(metadata.contentLength, picture.length)
    }
    assert.includeMembers(await server.keys(BUCKET), [
      'post_images/buffer.webp',
      'post_images/stream.webp',
    ])
  })

  test('deletes from the bucket, and deleting again is no error', async ({ assert }) => {
    const disk = await s3Disk(server)
    await disk.put('profile_pics/gone.webp', await noiseWebp())
    await disk.delete('profile_pics/gone.webp')
    assert.notInclude(await server.keys(BUCKET), 'profile_pics/gone.webp')
    assert.isFalse(await disk.exists('profile_pics/gone.webp'))
    // The account-files job may run twice.
    await disk.delete('profile_pics/gone.webp')
  })

  test('a missing key reads as a 404 from the bucket', async ({ assert }) => {
    const disk = await s3Disk(server)
    const error = await disk.getMetaData('profile_pics/never.webp').catch((e) => e)
    assert.equal(error.cause?.$metadata?.httpStatusCode, 404)
  })
})
