import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import type { Group } from '@japa/runner/core'
import type { Page } from 'playwright'
import string from '@adonisjs/core/helpers/string'
import { truncateTables } from '#tests/helpers'
import { FACTORY_PASSWORD } from '#database/factories/user_factory'
import type User from '#models/user'

const STEP_TIMEOUT_MS = 10_000

/**
 * What every browser group needs: empty tables before each test (the
 * browser's requests run on the server's own connections, so rows must be
 * committed, not hidden in a global transaction), steps that time out on
 * their own, and a screenshot of the
 * last open page when a test fails, in tests/screenshots/<test>.png.
 *
 * Registered inside the group callback, after the browser plugin's own
 * hook, so this cleanup runs before the plugin closes the browser context.
 */
export function browserGroup(group: Group) {
  group.each.setup(async (test) => {
    await truncateTables()
    // A step that never happens fails with its own name and locator well
    // before the test's timeout, which would only point at the test.
    test.context?.browserContext?.setDefaultTimeout(STEP_TIMEOUT_MS)
    return async (hasError: boolean) => {
      const page = test.context?.browserContext?.pages().at(-1)
      if (!hasError || !page) return
      const folder = app.makePath('tests/screenshots')
      await mkdir(folder, { recursive: true })
      await page.screenshot({
        path: join(folder, `${string.slug(test.title)}.png`),
        fullPage: true,
      })
    }
  })
}

/** Signs in through the real form and waits for the feed, where signing in lands. */
export async function signIn(page: Page, user: User, uid = user.username) {
  await page.goto('/login')
  await page.getByLabel('Username or email').fill(uid)
  await page.getByLabel('Password').fill(FACTORY_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('/feed')
}

/**
 * Writes `bytes` to a file named `name` in a fresh temporary folder, for a
 * file input; the folder goes when the test ends.
 */
export async function uploadFile(
  cleanup: (handler: () => Promise<void>) => void,
  name: string,
  bytes: Buffer | string
) {
  const folder = await mkdtemp(join(tmpdir(), 'gsocial-browser-'))
  cleanup(() => rm(folder, { recursive: true, force: true }))
  const path = join(folder, name)
  await writeFile(path, bytes)
  return path
}
