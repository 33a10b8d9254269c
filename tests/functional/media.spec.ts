import { test } from '@japa/runner'
import drive from '@adonisjs/drive/services/main'
import { rawRequest } from '#tests/helpers'
import { send } from '#tests/integration/helpers/http'

const appUrl = () => `http://${process.env.HOST}:${process.env.PORT}`
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])

/**
 * /media/<key> from the default Drive disk (here Drive's fake, an fs disk):
 * what every app replica answers, and what Nginx asks for when its own
 * folder lacks the file (with DRIVE_DISK=s3, always).
 */
test.group('GET /media/*', (group) => {
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })

  test('serves a picture with its type, a week of cache and no sniffing', async ({ assert }) => {
    await drive.use().put('profile_pics/a1b2.webp', WEBP)
    const response = await rawRequest('/media/profile_pics/a1b2.webp', {})
    assert.equal(response.status, 200)
    assert.isTrue(Buffer.from(await response.arrayBuffer()).equals(WEBP))
    assert.equal(response.headers.get('content-type'), 'image/webp')
    assert.equal(response.headers.get('content-length'), String(WEBP.length))
    assert.equal(response.headers.get('cache-control'), 'public, max-age=604800, immutable')
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(response.headers.get('content-security-policy'), "default-src 'none'; sandbox")
    assert.isNull(response.headers.get('set-cookie'))

    // Plain HTTP: fetch adds Cache-Control: no-cache to a conditional request.
    const again = await send(`${appUrl()}/media/profile_pics/a1b2.webp`, {
      headers: { 'if-none-match': response.headers.get('etag')! },
    })
    assert.equal(again.status, 304)
    assert.lengthOf(again.body, 0)

    const head = await rawRequest('/media/profile_pics/a1b2.webp', { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal(head.headers.get('content-length'), String(WEBP.length))
  })

  test('answers 404 for {title}')
    .with([
      { title: 'a missing picture', path: '/media/profile_pics/missing.webp' },
      { title: 'a stored file that is not a picture', path: '/media/profile_pics/evil.html' },
      { title: 'a file without an extension', path: '/media/profile_pics/evil' },
      { title: 'a key that climbs', path: '/media/profile_pics/..%2f..%2fevil.webp' },
    ])
    .run(async ({ assert }, { path }) => {
      await drive.use().put('profile_pics/evil.html', '<script>alert(1)</script>')
      await drive.use().put('profile_pics/evil', 'GIF89a<script>alert(1)</script>')
      await drive.use().put('evil.webp', WEBP)
      const response = await rawRequest(path, { headers: { accept: 'application/json' } })
      assert.equal(response.status, 404)
      assert.notInclude(await response.text(), 'alert')
    })
})
