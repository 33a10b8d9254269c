import { test } from '@japa/runner'
import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import testUtils from '@adonisjs/core/services/test_utils'
import HttpExceptionHandler from '#exceptions/handler'
import NotFoundException from '#exceptions/not_found_exception'

/** An API request (answered in JSON) for `url`. */
async function apiContext(url: string) {
  const req = new IncomingMessage(new Socket())
  req.method = 'GET'
  req.url = url
  return testUtils.createHttpContext({ req })
}

async function answer(error: unknown, url = '/api/things/1') {
  const ctx = await apiContext(url)
  await new HttpExceptionHandler().handle(error, ctx)
  return { status: ctx.response.getStatus(), body: ctx.response.getBody() }
}

/** app/exceptions/handler.ts maps an error to an answer; the error stays as thrown. */
test.group('Exception handler', () => {
  test('a dependency down is answered 503; the error keeps its own status and message', async ({
    assert,
  }) => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
      code: 'ECONNREFUSED',
      status: 500,
    })
    const { status, body } = await answer(error)
    assert.equal(status, 503)
    assert.deepEqual(body, {
      errors: [{ message: 'Service temporarily unavailable, please retry shortly' }],
    })
    assert.equal(error.status, 500)
    assert.equal(error.message, 'connect ECONNREFUSED 127.0.0.1:6379')
  })

  test('an error without a usable status is a 500 and stays without one', async ({ assert }) => {
    const error = new Error('a bug')
    assert.equal((await answer(error)).status, 500)
    assert.notProperty(error, 'status')
  })

  test("a row not found gets the model's sentence; the error's message is left alone", async ({
    assert,
  }) => {
    const error = Object.assign(new NotFoundException(''), {
      code: 'E_ROW_NOT_FOUND',
      message: 'Row not found',
      model: { name: 'FriendRequest' },
    })
    const { status, body } = await answer(error)
    assert.equal(status, 404)
    assert.deepEqual(body, { errors: [{ message: 'Friend request not found' }] })
    assert.equal(error.message, 'Row not found')
  })
})
