// Callbacks given to page.evaluate run in the browser, against the DOM.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { UserFactory } from '#database/factories/user_factory'
import { PostService } from '#services/posts/post_service'
import { befriend } from '#tests/friends'
import { browserGroup, signIn } from '#tests/browser/helpers'
import { route } from '#tests/helpers'
import { resetFeedState } from '#tests/posts_helpers'
import Comment from '#models/comment'

/**
 * What a phone and a strict Content-Security-Policy need from every page:
 * nothing wider than the screen, scripts and styles from /static/ only,
 * no inline <script>, event handler attribute or style attribute.
 */
async function inspectPage(page: Page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('*')]
    const root = document.documentElement
    return {
      overflow: root.scrollWidth - root.clientWidth,
      inlineScripts: document.querySelectorAll('script:not([src])').length,
      scripts: [...document.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')),
      stylesheets: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) =>
        l.getAttribute('href')
      ),
      inlineStyles: document.querySelectorAll('style, [style]').length,
      handlers: all.flatMap((el) =>
        [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)
      ),
      // Every form control a person fills in has a label.
      unlabelled: [...document.querySelectorAll<HTMLInputElement>('input, textarea, select')]
        .filter((el) => el.type !== 'hidden' && el.labels?.length === 0)
        .map((el) => el.name),
      h1: document.querySelectorAll('h1').length,
      // A control's name starts from what it shows (WCAG 2.5.3, label in name).
      nameWithoutLabel: [...document.querySelectorAll('a[aria-label], button[aria-label]')]
        .filter((el) => {
          const visible = el.cloneNode(true) as Element
          for (const hidden of visible.querySelectorAll(
            '[aria-hidden="true"], [hidden], .visually-hidden'
          ))
            hidden.remove()
          const shown = visible.textContent?.replace(/\s+/g, ' ').trim().toLowerCase()
          return shown && !el.getAttribute('aria-label')!.toLowerCase().startsWith(shown)
        })
        .map((el) => el.getAttribute('aria-label')),
    }
  })
}

test.group('Browser / every page', (group) => {
  browserGroup(group)
  // Post ids start again with the tables; the Redis post cache must too.
  group.each.setup(() => resetFeedState())

  for (const width of [375, 1280]) {
    test(`fits a ${width} px screen, with no inline script or style`, async ({ visit, assert }) => {
      const [owner, other, friend] = await UserFactory.createMany(3)
      await befriend(owner, friend)
      const post = await (
        await app.container.make(PostService)
      ).create(owner.id, {
        text: 'A post with its delete confirmation',
      })
      owner.profile.bio = 'A bio with a rather long word: '.concat('x'.repeat(120))
      await owner.profile.save()
      await Comment.create({ postId: post.id, userId: other.id, text: 'y'.repeat(300) })

      const page = await visit(route('home'))
      await page.setViewportSize({ width, height: 800 })
      let signedIn = false
      const check = async (path: string, expectedStatus = 200) => {
        const response = await page.goto(path)
        assert.equal(response!.status(), expectedStatus, path)
        const found = await inspectPage(page)
        assert.isAtMost(found.overflow, 0, `${path} scrolls sideways at ${width} px`)
        assert.equal(found.inlineScripts, 0, `${path} has an inline script`)
        // Signed in, the live notification badge's module and the like button's script come too
        // (and the feed's "N new posts" on /feed).
        const scripts = signedIn
          ? ['/static/app.js', '/static/notifications.js', '/static/likes.js']
          : ['/static/app.js']
        if (signedIn && path === route('feed')) scripts.push('/static/feed.js')
        assert.deepEqual(found.scripts, scripts, path)
        assert.deepEqual(found.stylesheets, ['/static/app.css'], path)
        assert.equal(found.inlineStyles, 0, `${path} has inline styles`)
        assert.deepEqual(found.handlers, [], `${path} has inline event handlers`)
        assert.deepEqual(found.unlabelled, [], `${path} has unlabelled controls`)
        assert.equal(found.h1, 1, `${path} has one heading`)
        assert.deepEqual(found.nameWithoutLabel, [], `${path} names a control apart from its label`)
      }

      for (const path of [
        route('home'),
        route('register'),
        route('login'),
        route('privacy'),
        route('users.show', { id: owner.id }),
        route('posts.show', { id: post.id }),
        route('people'),
        '/nope',
      ]) {
        await check(path, path === '/nope' ? 404 : 200)
      }
      await signIn(page, owner)
      signedIn = true
      for (const path of [
        route('home'),
        route('users.show', { id: owner.id }),
        route('users.show', { id: other.id }),
        route('users.show', { id: friend.id }),
        route('posts.show', { id: post.id }),
        route('profiles.edit', { id: owner.profile.id }),
        route('feed'),
        route('posts.delete', { id: post.id }),
        route('friends.unfriend', { user_id: friend.id }),
        route('settings.account'),
        route('notifications.index'),
        route('friends'),
        `${route('people')}?q=a`,
        route('reports.thanks'),
      ]) {
        await check(path)
      }
      await check(route('profiles.edit', { id: other.profile.id }), 403)
      await check('/nope', 404)
    })
  }
})
