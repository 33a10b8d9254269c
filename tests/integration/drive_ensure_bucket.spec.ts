import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { S3TestServer } from './helpers/s3_server.js'
import { freePort, run } from './helpers/processes.js'

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

  test("in production, MinIO's public default password refuses to start, naming the setting", async ({
    assert,
  }) => {
    const result = await ensureBucket({
      ...server.env('gsocial-release'),
      NODE_ENV: 'production',
      APP_KEY: 'k'.repeat(32),
      S3_SECRET_ACCESS_KEY: 'minioadmin',
    })
    assert.notEqual(result.code, 0)
    assert.include(output(result), "S3_SECRET_ACCESS_KEY is MinIO's public default (minioadmin)")
  })

  test('with DRIVE_DISK=fs there is nothing to create', async ({ assert }) => {
    const result = await ensureBucket({ DRIVE_DISK: 'fs' })
    assert.equal(result.code, 0, result.stderr)
    assert.include(result.stdout, 'no bucket to create')
  })
})
