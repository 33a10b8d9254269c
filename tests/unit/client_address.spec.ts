import { test } from '@japa/runner'
import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import testUtils from '@adonisjs/core/services/test_utils'

/** A request as the app's server would see it, from `peer`, claiming `forwardedFor`. */
async function requestFrom(peer: string, forwardedFor: string) {
  const socket = new Socket()
  Object.defineProperty(socket, 'remoteAddress', { value: peer })
  const req = new IncomingMessage(socket)
  req.headers['x-forwarded-for'] = forwardedFor
  const ctx = await testUtils.createHttpContext({ req })
  return ctx.request
}

/**
 * The rate limits bucket by request.ip(): a client must not choose its own
 * bucket by sending X-Forwarded-For. Only a trusted proxy's header counts
 * (loopback and private networks by default, config/app.ts).
 */
test.group('Client address (X-Forwarded-For)', () => {
  test('ignored when the peer is not a trusted proxy', async ({ assert }) => {
    const request = await requestFrom('203.0.113.9', '198.51.100.7')
    assert.equal(request.ip(), '203.0.113.9')
  })

  test('honoured from a proxy on loopback or a private network', async ({ assert }) => {
    for (const proxy of ['127.0.0.1', '10.0.0.5', '172.18.0.3', '192.168.1.2']) {
      const request = await requestFrom(proxy, '198.51.100.7')
      assert.equal(request.ip(), '198.51.100.7', proxy)
    }
  })

  test('a client cannot slip an address past the proxy', async ({ assert }) => {
    // Nginx replaces the header, but were a client's value kept in front,
    // the address the trusted proxy saw is still the one used.
    const request = await requestFrom('127.0.0.1', '198.51.100.7, 203.0.113.9')
    assert.equal(request.ip(), '203.0.113.9')
  })
})
