import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { Validator } from '@seriousme/openapi-schema-validator'
import { apiRoutes, buildOpenApiDocument, openApiDocument } from '#openapi/document'
import { operations } from '#openapi/operations'
import { checkResponse } from '#tests/openapi_responses'
import { route } from '#tests/helpers'

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']

/** "METHOD /api/path/:param" of every operation in a document. */
function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)
  )
}

test.group('API description / the document', () => {
  test('is valid OpenAPI 3.1', async ({ assert }) => {
    const validator = new Validator()
    const result = await validator.validate({ ...structuredClone(openApiDocument()) })
    assert.deepEqual(result.errors ?? [], [])
    assert.isTrue(result.valid)
    assert.equal(validator.version, '3.1')
  })

  test('describes every /api route of the router, and only those', ({ assert }) => {
    const { document, undocumented } = buildOpenApiDocument()
    assert.deepEqual(undocumented, [], 'routes missing from app/openapi/operations.ts')

    const inRouter = apiRoutes().map(({ method, route: r }) => `${method} ${r.pattern}`)
    assert.isAbove(inRouter.length, 5)
    assert.sameMembers(documentedRoutes(document), inRouter)
    // No description outlives its route.
    assert.sameMembers(
      Object.keys(operations),
      inRouter,
      'entries of operations.ts without a route'
    )
  })

  test('lists a route the table does not describe as undocumented', ({ assert }) => {
    const routes = Object.values(router.toJSON()).flat()
    const extra = { ...routes[0], pattern: '/api/extra/:id', methods: ['GET', 'HEAD'], name: 'x' }
    const { document, undocumented } = buildOpenApiDocument([...routes, extra], operations)
    assert.deepEqual(undocumented, ['GET /api/extra/:id'])
    assert.property(document.paths, '/api/extra/{id}')
  })

  test('takes request bodies from the Vine validators', ({ assert }) => {
    const register = openApiDocument().paths['/api/users'].post.requestBody
    const schema = register.content['application/json'].schema
    assert.sameMembers(schema.required, [
      'username',
      'email',
      'first_name',
      'last_name',
      'password',
    ])
    assert.include(schema.properties.username, { minLength: 3, maxLength: 150 })
    assert.include(schema.properties.password, { minLength: 8, maxLength: 128 })

    const profile = openApiDocument().paths['/api/profiles/{id}'].patch.requestBody
    const multipart = profile.content['multipart/form-data'].schema
    assert.include(multipart.properties.profile_picture, { type: 'string', format: 'binary' })
    assert.include(multipart.properties.bio, { maxLength: 500 })
    assert.notProperty(profile.content['application/json'].schema.properties, 'profile_picture')
  })

  test('has bearer auth, rate-limit headers on 429 and the error shape', ({ assert }) => {
    const document = openApiDocument()
    assert.deepInclude(document.components.securitySchemes.bearer, { scheme: 'bearer' })
    assert.deepEqual(document.paths['/api/me'].get.security, [{ bearer: [] }])
    assert.deepEqual(document.paths['/api/users/{id}'].get.security, [{}, { bearer: [] }])
    assert.equal(
      document.paths['/api/auth/login'].post.responses['429'].$ref,
      '#/components/responses/TooManyRequests'
    )
    assert.containsSubset(Object.keys(document.components.responses.TooManyRequests.headers), [
      'Retry-After',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
    ])
    assert.equal(
      document.components.responses.ValidationFailed.content['application/json'].schema.$ref,
      '#/components/schemas/Error'
    )
  })
})

test.group('API description / response checks', () => {
  const base = { method: 'GET', contentType: 'application/json; charset=utf-8' }
  const user = {
    id: 1,
    username: 'ada',
    first_name: 'Ada',
    last_name: 'Lovelace',
    friends_visible: 'public',
    profile_data: { id: 1, owner: 1, profile_picture: '/static/x.svg', bio: '' },
    created_at: '2026-01-01T00:00:00.000Z',
  }

  test('accept a response that matches', () => {
    checkResponse({ ...base, url: '/api/users/1', status: 200, text: JSON.stringify(user) })
    checkResponse({
      ...base,
      url: '/api/users/1',
      status: 404,
      text: '{"errors":[{"message":"Row not found"}]}',
    })
  })

  test('refuse an undocumented field, status or route', ({ assert }) => {
    const extra = JSON.stringify({ ...user, password: 'x' })
    assert.throws(
      () => checkResponse({ ...base, url: '/api/users/1', status: 200, text: extra }),
      /does not match/
    )
    assert.throws(
      () => checkResponse({ ...base, url: '/api/users/1', status: 409, text: '{}' }),
      /not in the OpenAPI document/
    )
    assert.throws(
      () =>
        checkResponse({ ...base, method: 'DELETE', url: '/api/users/1', status: 200, text: '{}' }),
      /has no DELETE/
    )
    assert.throws(
      () =>
        checkResponse({
          ...base,
          method: 'POST',
          url: '/api/auth/logout',
          status: 204,
          text: '{}',
        }),
      /without a body/
    )
  })
})

test.group('API description / served', () => {
  test('GET /api/openapi.json answers the document', async ({ client, assert }) => {
    const response = await client.get(route('api.openapi'))
    response.assertStatus(200)
    assert.equal(response.body().openapi, '3.1.0')
    assert.property(response.body().paths, '/api/me')
  })

  test('GET /api/docs renders the page under the CSP, with our own renderer files', async ({
    client,
    assert,
  }) => {
    const response = await client.get(route('api.docs'))
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /text\/html/)
    const csp = response.header('content-security-policy')
    assert.include(csp, "script-src 'self'")
    assert.include(csp, "style-src 'self'")
    const html = response.text()
    assert.include(html, 'data-url="/api/openapi.json"')
    assert.include(html, 'src="/api/docs/assets/swagger-ui-bundle.js"')
    assert.include(html, 'href="/api/docs/assets/swagger-ui.css"')
    assert.include(html, 'src="/static/api_docs.js"')
    assert.notMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script')
  })

  test('serves the renderer files from our origin, and nothing else', async ({
    client,
    assert,
  }) => {
    const js = await client.get(route('api.docs.asset', { file: 'swagger-ui-bundle.js' }))
    js.assertStatus(200)
    assert.match(js.header('content-type') ?? '', /javascript/)
    assert.include(js.header('cache-control'), 'max-age')
    const css = await client.get(route('api.docs.asset', { file: 'swagger-ui.css' }))
    css.assertStatus(200)
    assert.match(css.header('content-type') ?? '', /text\/css/)

    const other = await client.get(route('api.docs.asset', { file: 'package.json' }))
    other.assertStatus(404)
  })

  test('every page links to the docs in its footer', async ({ client }) => {
    const response = await client.get(route('login'))
    response.assertTextIncludes('href="/api/docs"')
  })
})
