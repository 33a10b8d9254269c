import { test } from '@japa/runner'
import appEdge, { Edge } from 'edge.js'
import app from '@adonisjs/core/services/app'
import { listComponentsOnce } from '#helpers/edge'

test.group('Edge components listing', () => {
  test('production renders list the components folder once, not on every render', async ({
    assert,
  }) => {
    // As @adonisjs/core's provider does: an instance built first, configured later.
    const edge = Edge.create()
    edge.configure({ cache: true })
    edge.mount(app.viewsPath())
    let listings = 0
    const list = edge.loader.listComponents.bind(edge.loader)
    edge.loader.listComponents = () => {
      listings++
      return list()
    }

    // A component tag of the app's own (components/friend_button.edge).
    const template = `@!friendButton({ userId: 7, name: 'ada', relation: { state: 'friends' } })`
    edge.global('route', () => '/friends/7')
    edge.global('csrfField', () => '')
    await edge.renderRaw(template)
    await edge.renderRaw(template)
    assert.equal(listings, 2, 'Edge itself lists before each render')

    listComponentsOnce(edge)
    const html = await edge.renderRaw(template)
    await edge.renderRaw(template)
    assert.equal(listings, 3)
    assert.include(html, '<span class="friend-state">Friends</span>')
  })

  test('avatar() writes one picture, escaping what a user chose', async ({ assert }) => {
    assert.equal(
      await appEdge.renderRaw(`{{ avatar({ src: null, alt: '', size: 28 }) }}`),
      '<img class="avatar" src="/static/images/default-avatar.svg" alt="" width="28" height="28" decoding="async">'
    )
    const html = await appEdge.renderRaw(`{{ avatar({ src, alt }) }}`, {
      src: '/media/a.webp" onerror="alert(1)',
      alt: 'Picture of <b>"you"</b>',
    })
    assert.equal(
      html,
      '<img class="avatar" src="/media/a.webp&quot; onerror=&quot;alert(1)" alt="Picture of &lt;b&gt;&quot;you&quot;&lt;/b&gt;" width="96" height="96" decoding="async">'
    )
  })
})
