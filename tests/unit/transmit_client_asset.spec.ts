import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'

/**
 * The browser loads transmit's client from our own origin (no CDN): a copy
 * of the installed package's build, which must follow the package.
 */
test('public/static/vendor/transmit-client.js is the installed @adonisjs/transmit-client build', async ({
  assert,
}) => {
  const served = await readFile(app.makePath('public/static/vendor/transmit-client.js'), 'utf8')
  const installed = await readFile(
    app.makePath('node_modules/@adonisjs/transmit-client/build/index.js'),
    'utf8'
  )
  assert.isTrue(
    served === installed,
    'copy node_modules/@adonisjs/transmit-client/build/index.js to public/static/vendor/'
  )
})
