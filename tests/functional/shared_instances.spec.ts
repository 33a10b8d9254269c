import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { UserFactory } from '#database/factories/user_factory'
import { SHARED } from '#providers/shared_instances_provider'
import { isolateDatabase } from '#tests/helpers'

test.group('Shared instances', (group) => {
  isolateDatabase(group)

  test('the web stack and the read path are built once per process, not per request', async ({
    client,
    assert,
  }) => {
    const [viewer, owner] = await UserFactory.createMany(2)
    const built: string[] = []
    let counting = true
    // The container runs these hooks for every class it constructs (a hook cannot be removed).
    for (const Shared of SHARED) {
      app.container.resolving(Shared as never, () => {
        if (counting) built.push(Shared.name)
      })
    }
    try {
      const page = await client.get(`/users/${owner.id}`).loginAs(viewer)
      page.assertStatus(200)
      ;(await client.get('/feed').loginAs(viewer)).assertStatus(200)
      ;(await client.get('/api/feed').withGuard('api').loginAs(viewer)).assertStatus(200)
      ;(await client.get(`/users/${owner.id}`)).assertStatus(200)
    } finally {
      counting = false
    }
    assert.deepEqual(built, [])
    for (const Shared of SHARED) {
      assert.strictEqual(
        await app.container.make(Shared as never),
        await app.container.make(Shared as never),
        Shared.name
      )
    }
  })
})
