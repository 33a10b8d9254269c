import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { UserFactory } from '#database/factories/user_factory'
import { browserGroup, signIn } from '#tests/browser/helpers'
import { route } from '#tests/helpers'

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL('/')
}

test.group('Browser / friends', (group) => {
  browserGroup(group)

  test('one finds and asks the other, who accepts on /friends: both see "Friends"', async ({
    visit,
    assert,
  }) => {
    const ada = await UserFactory.merge({ firstName: 'Ada', lastName: 'Lovelace' }).create()
    const bob = await UserFactory.merge({ firstName: 'Bob', lastName: 'Éclair' }).create()

    // Ada finds Bob with the search box in the header, and asks.
    const page = await visit(route('home'))
    await signIn(page, ada)
    await page.getByLabel('Find people').fill('ecla')
    await page.getByLabel('Find people').press('Enter')
    await page.waitForURL(/\/people\?q=ecla/)
    await page.getByRole('button', { name: `Add friend: ${bob.username}` }).click()
    await page.getByText('Friend request sent').waitFor()
    await page.getByRole('link', { name: `Bob Éclair @${bob.username}` }).click()
    await page.waitForURL(`/users/${bob.id}`)
    assert.equal(await page.locator('.friend-state').textContent(), 'Request sent')
    await signOut(page)

    // Bob accepts from /friends.
    await signIn(page, bob)
    await page.getByRole('link', { name: 'Friends', exact: true }).click()
    await page.waitForURL('/friends')
    await page
      .getByRole('button', { name: `Accept the friend request from ${ada.username}` })
      .click()
    await page.getByText('You are now friends').waitFor()
    assert.include(await page.locator('#friends-title + ul').textContent(), ada.username)

    await page.goto(`/users/${ada.id}`)
    assert.equal(await page.locator('.friend-state').textContent(), 'Friends')
    await signOut(page)

    await signIn(page, ada)
    await page.goto(`/users/${bob.id}`)
    assert.equal(await page.locator('.friend-state').textContent(), 'Friends')
    // A link to the page that asks first (tests/browser/second_hour.spec.ts follows it).
    assert.isTrue(await page.getByRole('link', { name: `Unfriend ${bob.username}` }).isVisible())
  })
})
