import { test } from '@japa/runner'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import appEdge, { Edge } from 'edge.js'
import app from '@adonisjs/core/services/app'
import {
  listComponentsOnce,
  relativeTime,
  relativeTimeUntil,
  resolvePathsOnce,
  timeTag,
} from '#helpers/edge'
import { UNUSED_EDGE_HELPERS } from '#start/view'

/**
 * An Edge as @adonisjs/core's provider makes it in production (built first,
 * configured later) over the app's views, with the globals its components need.
 */
function productionEdge(route: string) {
  const edge = Edge.create()
  edge.configure({ cache: true })
  edge.mount(app.viewsPath())
  edge.global('route', () => route)
  edge.global('csrfField', () => '')
  return edge
}

test.group('Edge components listing', () => {
  test('production renders list the components folder once, not on every render', async ({
    assert,
  }) => {
    const edge = productionEdge('/friends/7')
    let listings = 0
    const list = edge.loader.listComponents.bind(edge.loader)
    edge.loader.listComponents = () => {
      listings++
      return list()
    }

    // A component tag of the app's own (components/friend_button.edge).
    const template = `@!friendButton({ userId: 7, name: 'ada', relation: { state: 'friends' } })`
    await edge.renderRaw(template)
    await edge.renderRaw(template)
    assert.equal(listings, 2, 'Edge itself lists before each render')

    listComponentsOnce(edge)
    const html = await edge.renderRaw(template)
    await edge.renderRaw(template)
    assert.equal(listings, 3)
    assert.include(html, '<span class="friend-state">Friends</span>')
  })

  test("production renders work out a template's path once, not on every render", async ({
    assert,
  }) => {
    const edge = productionEdge('/reports')
    const paths: string[] = []
    const makePath = edge.loader.makePath.bind(edge.loader)
    edge.loader.makePath = (name) => {
      paths.push(name)
      return makePath(name)
    }
    const template = `@!reportForm({ field: 'post_id', id: 7, what: 'post' })`
    await edge.renderRaw(template)
    const perRender = paths.length
    assert.isAbove(perRender, 0, 'Edge works out the component path at each render')

    resolvePathsOnce(edge)
    await edge.renderRaw(template)
    const kept = paths.length
    const html = await edge.renderRaw(template)
    assert.equal(paths.length, kept, 'worked out at the first render, then kept')
    assert.include(html, 'name="post_id" value="7"')
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

test.group('Edge times', () => {
  const now = new Date('2026-12-06T10:30:00.000Z')
  const ago = (ms: number) => new Date(now.getTime() - ms)

  test('relativeTime says how long ago as people do', ({ assert }) => {
    const minute = 60_000
    const hour = 60 * minute
    assert.equal(relativeTime(ago(20_000), now), 'just now')
    assert.equal(relativeTime(ago(-5 * minute), now), 'just now') // a clock a little ahead
    assert.equal(relativeTime(ago(5 * minute), now), '5 min ago')
    assert.equal(relativeTime(ago(59 * minute), now), '59 min ago')
    assert.equal(relativeTime(ago(3 * hour), now), '3 h ago')
    assert.equal(relativeTime(new Date('2026-12-05T00:53:00Z'), now), 'yesterday')
    assert.equal(relativeTime(new Date('2026-12-03T18:00:00Z'), now), '3 Dec')
    assert.equal(relativeTime(new Date('2025-12-31T23:00:00Z'), now), '31 Dec 2025')
  })

  test('relativeTimeUntil: the words read the same until then', ({ assert }) => {
    const second = 1000
    const dates = [
      ago(-30 * second), // a clock a little ahead
      ago(20 * second),
      ago(5 * 60 * second + 7 * second),
      ago(3 * 3600 * second + 59 * second),
      ago(23 * 3600 * second + 59 * 60 * second), // "23 h ago", then "yesterday"
      new Date('2026-12-05T00:53:00Z'), // "yesterday" until midnight, then "5 Dec"
      new Date('2026-12-03T18:00:00Z'),
    ]
    for (const date of dates) {
      // From a few moments of the day, including just before UTC midnight.
      for (const from of [now, new Date('2026-12-06T23:59:30.000Z')]) {
        if (from.getTime() - date.getTime() < -60 * second) continue
        const until = relativeTimeUntil(date, from)
        assert.isAbove(until, from.getTime())
        const words = relativeTime(date, from)
        const last = Math.min(until, from.getTime() + 2 * 86400 * second) - 1
        for (
          let at = from.getTime();
          at <= last;
          at = at === last ? at + 1 : Math.min(at + 15 * second, last)
        ) {
          const shown = relativeTime(date, new Date(at))
          assert.equal(shown, words, `${date.toISOString()} at ${new Date(at).toISOString()}`)
        }
      }
    }
    // Past two days a day reads the same until the year changes.
    assert.equal(
      relativeTimeUntil(new Date('2026-12-03T18:00:00Z'), now),
      Date.parse('2027-01-01T00:00:00Z')
    )
  })

  test('timeAgo() writes a <time> with the ISO time and the exact UTC time on hover', async ({
    assert,
  }) => {
    assert.equal(
      timeTag('2026-12-03T00:53:07.120Z', now),
      '<time datetime="2026-12-03T00:53:07.120Z" title="3 Dec 2026, 00:53 UTC" data-relative>3 Dec</time>'
    )
    assert.equal(timeTag('not a time', now), '')
    const html = await appEdge.renderRaw(`{{ timeAgo(at) }}`, { at: new Date().toISOString() })
    assert.match(html, /^<time datetime="[^"]+" title="[^"]+ UTC" data-relative>just now<\/time>$/)
  })
})

test.group('Edge globals', () => {
  test('the text helpers no template calls are left out of every page state', async ({
    assert,
  }) => {
    for (const name of UNUSED_EDGE_HELPERS) assert.notProperty(appEdge.globals, name)
    assert.properties(appEdge.globals, ['html', 'route', 'avatar', 'postItems'])

    const calls = new RegExp(`\\b(${[...UNUSED_EDGE_HELPERS].join('|')})\\s*\\(`)
    const files = await readdir(app.viewsPath(), { recursive: true })
    const templates = files.filter((file) => file.endsWith('.edge'))
    assert.isAbove(templates.length, 10)
    for (const file of templates) {
      const source = await readFile(join(app.viewsPath(), file), 'utf8')
      const code = source.replace(/\{\{--[\s\S]*?--\}\}/g, '')
      assert.notMatch(code, calls, `${file} calls a helper start/view.ts leaves out`)
    }
  })
})
