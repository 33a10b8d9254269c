import { test } from '@japa/runner'
import { Edge } from 'edge.js'
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

    await edge.renderRaw('@!avatar({ src: "/a.png", alt: "", size: 28 })')
    await edge.renderRaw('@!avatar({ src: "/a.png", alt: "", size: 28 })')
    assert.equal(listings, 2, 'Edge itself lists before each render')

    listComponentsOnce(edge)
    const html = await edge.renderRaw('@!avatar({ src: "/a.png", alt: "", size: 28 })')
    await edge.renderRaw('@!avatar({ src: "/a.png", alt: "", size: 28 })')
    assert.equal(listings, 3)
    assert.include(html, '/a.png')
  })
})
