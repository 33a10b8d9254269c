// Callbacks given to page.evaluate run in the browser, against the DOM.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import sharp from 'sharp'
import type { Page } from 'playwright'
import { test } from '@japa/runner'
import drive from '@adonisjs/drive/services/main'
import Profile from '#models/profile'
import uploadsConfig from '#config/uploads'
import { UserFactory } from '#database/factories/user_factory'
import { browserGroup, signIn, uploadFile } from '#tests/browser/helpers'
import { route } from '#tests/helpers'

/** The src of the page's <img> and the size it decoded to, once it has loaded. */
async function loadedImage(page: Page, selector: string) {
  const handle = await page.waitForFunction((sel) => {
    const img = document.querySelector<HTMLImageElement>(sel)
    return img && img.complete && img.naturalWidth > 0
      ? { src: img.getAttribute('src')!, width: img.naturalWidth, height: img.naturalHeight }
      : null
  }, selector)
  // waitForFunction only resolves on a truthy value.
  return (await handle.jsonValue())!
}

test.group('Browser / profile picture', (group) => {
  browserGroup(group)

  test('the owner previews, uploads and then sees their picture', async ({
    visit,
    assert,
    cleanup,
  }) => {
    const picture = await uploadFile(
      cleanup,
      'me.png',
      await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c0392b' } })
        .png()
        .toBuffer()
    )

    const user = await UserFactory.create()
    const page = await visit(route('home'))
    await signIn(page, user)
    await page.goto(route('users.show', { id: user.id }))
    await page.getByRole('link', { name: 'Edit profile' }).click()
    await page.waitForURL(route('profiles.edit', { id: user.profile.id }))

    const before = await loadedImage(page, 'main img.avatar')
    assert.equal(before.src, '/static/images/default-avatar.svg')

    // app.js shows the chosen file before anything is sent.
    await page.getByLabel('New picture').setInputFiles(picture)
    const preview = await loadedImage(page, 'main img.avatar[src^="blob:"]')
    assert.deepEqual([preview.width, preview.height], [300, 200])
    assert.equal(
      await page.locator('main img.avatar').getAttribute('alt'),
      'Preview of the new profile picture'
    )

    await page.getByLabel('Bio').fill('Poet of science')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.waitForURL(route('users.show', { id: user.id }))
    await page.assertTextContains('.flash-success', 'Your profile is updated')
    await page.assertTextContains('.bio', 'Poet of science')

    const shown = await loadedImage(page, 'main img.avatar')
    assert.match(shown.src, /^\/media\/profile_pics\/[\w-]+\.webp$/)
    // Cropped to the configured square, shown at a fixed size on the page.
    const { size } = uploadsConfig.profilePicture
    assert.deepEqual([shown.width, shown.height], [size, size])
    const box = await page.locator('main img.avatar').boundingBox()
    assert.isAtMost(box!.width, 160)

    const profile = await Profile.findOrFail(user.profile.id)
    assert.equal(`/media/${profile.profilePicture}`, shown.src)
    cleanup(() => drive.use().delete(profile.profilePicture!))
  })

  test('a file that is not an image goes back to the form with the message', async ({
    visit,
    assert,
    cleanup,
  }) => {
    const notAnImage = await uploadFile(cleanup, 'me.png', 'this is text, whatever the name says')

    const user = await UserFactory.create()
    const page = await visit(route('home'))
    await signIn(page, user)
    await page.goto(route('profiles.edit', { id: user.profile.id }))
    await page.getByLabel('New picture').setInputFiles(notAnImage)
    await page.getByRole('button', { name: 'Save' }).click()
    await page.waitForURL(route('profiles.edit', { id: user.profile.id }))

    await page.assertTextContains(
      '#field-profile_picture-error',
      'must be a JPEG, PNG, WebP or GIF'
    )
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-profile_picture')
    assert.isNull((await Profile.findOrFail(user.profile.id)).profilePicture)
  })
})

test.group('Browser / profile access', (group) => {
  browserGroup(group)

  test("another signed-in user gets the 403 page on the profile's edit URL", async ({
    visit,
    assert,
  }) => {
    const [owner, other] = await UserFactory.createMany(2)
    const page = await visit(route('home'))
    await signIn(page, other)

    // Visitors of the owner's profile see no edit link...
    await page.goto(route('users.show', { id: owner.id }))
    await page.assertTextContains('h1', `${owner.firstName} ${owner.lastName}`)
    assert.equal(await page.getByRole('link', { name: 'Edit profile' }).count(), 0)
    assert.equal(await page.locator('.email').count(), 0)

    // ...and typing the URL gets the 403 page, not the form.
    const response = await page.goto(route('profiles.edit', { id: owner.profile.id }))
    assert.equal(response!.status(), 403)
    await page.assertTitle('Not allowed · G-Social')
    await page.assertTextContains('h1', "You can't do that")
    assert.equal(await page.locator('form[enctype="multipart/form-data"]').count(), 0)
  })

  test('an unknown address gets the 404 page inside the layout', async ({ visit, assert }) => {
    const page = await visit(route('home'))
    const response = await page.goto('/no/such/page')
    assert.equal(response!.status(), 404)
    await page.assertTextContains('h1', 'Page not found')
    await page.getByRole('link', { name: 'Go to the home page' }).click()
    await page.waitForURL('/')
  })
})
