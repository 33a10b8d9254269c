// Callbacks given to page.evaluate run in the browser, against the DOM.
/// <reference lib="dom" />
import { test } from '@japa/runner'
import { browserGroup } from '#tests/browser/helpers'
import { route } from '#tests/helpers'

test.group('Browser / API documentation', (group) => {
  browserGroup(group)

  test('the footer link opens the rendered document, under the CSP', async ({ visit, assert }) => {
    const page = await visit(route('home'))
    const violations: string[] = []
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) violations.push(message.text())
    })
    page.on('pageerror', (error) => violations.push(error.message))
    const offOrigin: string[] = []
    page.on('request', (request) => {
      if (!request.url().startsWith(`http://${process.env.HOST}:${process.env.PORT}/`)) {
        offOrigin.push(request.url())
      }
    })

    await page.getByRole('link', { name: 'API documentation' }).click()
    await page.waitForURL('/api/docs')
    // Swagger UI has fetched /api/openapi.json and drawn one block per operation.
    await page.locator('.opblock').first().waitFor()
    assert.isAbove(await page.locator('.opblock').count(), 5)
    await page.getByText('/api/auth/login').first().waitFor()
    assert.isTrue(await page.getByRole('button', { name: /authorize/i }).isVisible())

    // An operation opens with its schema.
    await page.locator('.opblock-summary', { hasText: '/api/me' }).first().click()
    await page.getByText('No bearer token').first().waitFor()

    assert.deepEqual(violations, [])
    assert.deepEqual(offOrigin, [])
  })
})
