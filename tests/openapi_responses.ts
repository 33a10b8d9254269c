/**
 * Every /api response a test receives is checked against the OpenAPI
 * document: its route and method must be described, its status documented,
 * and a JSON body must match the schema documented for that status. A
 * mismatch fails the test that made the request, so the document cannot
 * drift from what the API answers. Registered for the api client in
 * tests/bootstrap.ts; `rawRequest` (tests/helpers.ts) checks its answers too.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { ApiResponse } from '@japa/api-client'
import { openApiDocument, type OpenApiDocument } from '#openapi/document'

export interface ReceivedResponse {
  method: string
  /** The request's path (a query string is ignored). */
  url: string
  status: number
  contentType: string | undefined
  /** The raw body text. */
  text: string
}

type Operation = { responses: Record<string, any> }
type Matcher = { template: string; pattern: RegExp; methods: Record<string, Operation> }

let compiled:
  | {
      document: OpenApiDocument
      ajv: Ajv2020
      matchers: Matcher[]
      validators: Map<string, ValidateFunction>
    }
  | undefined

function setup() {
  if (compiled) return compiled
  const document = openApiDocument()
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema(document, 'openapi.json')
  // Literal paths win over templated ones (/api/users before /api/users/{id}).
  const matchers = Object.entries(document.paths)
    .map(([template, methods]) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
      methods: methods as Record<string, Operation>,
    }))
    .sort((a, b) => a.template.split('{').length - b.template.split('{').length)
  compiled = { document, ajv, matchers, validators: new Map() }
  return compiled
}

const pointer = (...parts: string[]) =>
  parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')

/** Throws an error that explains the mismatch; returns quietly when the response fits. */
export function checkResponse(received: ReceivedResponse) {
  const path = new URL(received.url, 'http://localhost').pathname
  if (!path.startsWith('/api/')) return
  const { document, ajv, matchers, validators } = setup()
  const method = received.method.toLowerCase() === 'head' ? 'get' : received.method.toLowerCase()
  const where = `${received.method.toUpperCase()} ${path} → ${received.status}`

  const matched = matchers.find((m) => m.pattern.test(path) && m.methods[method])
  if (!matched) {
    // No route answers this path and method: the router's 404 (or 405).
    if (received.status === 404 || received.status === 405) {
      return checkBody(
        where,
        received,
        `#/components/responses/NotFound`,
        document,
        ajv,
        validators
      )
    }
    throw new Error(
      `${where}: the OpenAPI document has no ${method.toUpperCase()} ${path} (describe the route in app/openapi/operations.ts)`
    )
  }

  const operation = matched.methods[method]
  let responsePointer = `#/${pointer('paths', matched.template, method, 'responses', String(received.status))}`
  const described = operation.responses[received.status]
  if (!described) {
    throw new Error(
      `${where}: status ${received.status} of ${method.toUpperCase()} ${matched.template} is not in the OpenAPI document (documented: ${Object.keys(operation.responses).join(', ')}; see app/openapi/operations.ts)`
    )
  }
  if (described.$ref) responsePointer = described.$ref
  checkBody(where, received, responsePointer, document, ajv, validators)
}

function resolve(document: OpenApiDocument, ref: string): any {
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((node: any, part) => node?.[part], document)
}

function checkBody(
  where: string,
  received: ReceivedResponse,
  responsePointer: string,
  document: OpenApiDocument,
  ajv: Ajv2020,
  validators: Map<string, ValidateFunction>
) {
  const response = resolve(document, responsePointer)
  const content: Record<string, unknown> | undefined = response?.content
  const isJson = /^application\/json\b/.test(received.contentType ?? '')

  if (!content) {
    if (received.text.length > 0) {
      throw new Error(
        `${where}: documented without a body, but answered ${received.text.slice(0, 200)}`
      )
    }
    return
  }
  if (!isJson) {
    if (content['application/json']) {
      throw new Error(`${where}: documented as JSON, answered ${received.contentType}`)
    }
    return
  }
  if (!content['application/json']) {
    throw new Error(`${where}: answered JSON, documented as ${Object.keys(content).join(', ')}`)
  }

  const schemaPointer = `${responsePointer}/${pointer('content', 'application/json', 'schema')}`
  let validate = validators.get(schemaPointer)
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi.json${schemaPointer}` })
    validators.set(schemaPointer, validate)
  }
  const body = JSON.parse(received.text)
  if (!validate(body)) {
    const problems = (validate.errors ?? [])
      .map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`)
      .join('; ')
    throw new Error(
      `${where}: the body does not match the OpenAPI document (${schemaPointer}): ${problems}\nbody: ${received.text.slice(0, 500)}`
    )
  }
}

/** Teardown hook for @japa/api-client: fails the request (and so the test) on a mismatch. */
export function checkApiClientResponse(response: ApiResponse) {
  checkResponse({
    method: response.request.config.method,
    url: response.request.config.endpoint,
    status: response.status(),
    contentType: response.header('content-type'),
    text: response.text() ?? '',
  })
}
