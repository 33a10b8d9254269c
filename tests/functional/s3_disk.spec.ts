import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import sharp from 'sharp'
import app from '@adonisjs/core/services/app'
import { Disk, services } from '@adonisjs/drive'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { s3Options } from '#config/drive'
import { S3TestServer } from '#tests/integration/helpers/s3_server'
import { freePort, run } from '#tests/integration/helpers/processes'

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

/** `node ace drive:ensure-bucket` from the source tree, with these settings on top of .env.test's. */
function ensureBucket(env: NodeJS.ProcessEnv) {
  return run(process.execPath, ['ace', 'drive:ensure-bucket'], {
    cwd: app.makePath(),
    env: { ...process.env, ...env },
  })
}

/** What a command printed, on one line (errors come word-wrapped without a terminal). */
function output({ stdout, stderr }: { stdout: string; stderr: string }) {
  return `${stdout}${stderr}`.replace(/\s+/g, ' ')
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

test.group('node ace drive:ensure-bucket', (group) => {
  let server: S3TestServer

  group.setup(async () => {
    server = await S3TestServer.start()
    return () => server.stop()
  })

  test('creates the bucket once, then says it exists', async ({ assert }) => {
    const env = server.env('gsocial-release')
    const created = await ensureBucket(env)
    assert.equal(created.code, 0, created.stderr)
    assert.include(created.stdout, 'Created bucket "gsocial-release"')

    const again = await ensureBucket(env)
    assert.equal(again.code, 0, again.stderr)
    assert.include(again.stdout, 'Bucket "gsocial-release" exists')
    assert.deepEqual(await server.keys('gsocial-release'), [])
  })

  test('fails with the reason: refused, or no server there', async ({ assert }) => {
    const env = server.env('gsocial-release')
    const refused = await ensureBucket({ ...env, S3_ACCESS_KEY_ID: 'nobody' })
    assert.equal(refused.code, 1)
    assert.include(
      output(refused),
      `Cannot create bucket "gsocial-release" at ${env.S3_ENDPOINT}: access denied (HTTP 403)`
    )

    const nowhere = await ensureBucket({
      ...env,
      S3_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
    })
    assert.equal(nowhere.code, 1)
    assert.match(output(nowhere), /Cannot create bucket "gsocial-release" at .*ECONNREFUSED/)
  })

  test('with DRIVE_DISK=s3 and no bucket settings, nothing starts and the message names them', async ({
    assert,
  }) => {
    const result = await ensureBucket({ DRIVE_DISK: 's3' })
    assert.notEqual(result.code, 0)
    assert.include(
      output(result),
      'DRIVE_DISK=s3 needs S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY'
    )
  })

  test('with DRIVE_DISK=fs there is nothing to create', async ({ assert }) => {
    const result = await ensureBucket({ DRIVE_DISK: 'fs' })
    assert.equal(result.code, 0, result.stderr)
    assert.include(result.stdout, 'no bucket to create')
  })
})
