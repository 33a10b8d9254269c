import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'

/**
 * README's API examples are meant to be pasted as they are: run them with
 * sh against this test server and expect every step to succeed.
 */
test.group('README / API examples', (group) => {
  isolateDatabase(group)
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })

  test('run as written, on a database that already has users', async ({ assert }) => {
    // Others registered first, so the new user's ids are not 1.
    await UserFactory.createMany(2)
    const readme = await readFile(app.makePath('README.md'), 'utf8')
    const block = /```sh\n(API=http:\/\/localhost:3333\/api\n[\s\S]*?)```/.exec(readme)?.[1]
    assert.isString(block, 'README has the API examples block')
    const script = block!.replace(
      'http://localhost:3333',
      `http://${process.env.HOST}:${process.env.PORT}`
    )

    const { stdout } = await promisify(execFile)('sh', ['-ec', script], {
      cwd: app.makePath(),
      timeout: 20_000,
    })
    const lines = stdout.trim().split('\n')
    assert.equal(lines.at(-1), '204', stdout)
    const updated = JSON.parse(lines.at(-2)!)
    assert.equal(updated.bio, 'Poet of science')
    assert.match(updated.profile_picture, /^\/media\/profile_pics\/.+\.webp$/)
  })
})
