/**
 * The OpenAPI 3.1 document of the JSON API, assembled from the router: each
 * /api route (and method) is looked up in the operations table, so the
 * document lists exactly the routes that exist. Routes the table does not
 * describe are still listed (as undocumented) and reported, and a test
 * fails on them.
 */
import router from '@adonisjs/core/services/router'
import type { RouteJSON } from '@adonisjs/core/types/http'
import { responses, schemas, securitySchemes } from '#openapi/components'
import { operations, type ApiOperation, type SchemaSource } from '#openapi/operations'

type Schema = Record<string, any>

export interface OpenApiDocument {
  openapi: '3.1.0'
  info: Schema
  tags: Schema[]
  paths: Record<string, Record<string, Schema>>
  components: Schema
}

const TAGS: Record<string, string> = {
  'Accounts': 'Registration, tokens, passwords, your account',
  'Users': 'User data and search',
  'Profiles': 'Profile pictures and bios',
  'Friends': 'Friend requests and friendships',
  'Posts': 'Posts and the feed',
  'Comments and likes': 'Comments under posts, and likes',
  'Notifications': 'Friend requests, comments, likes and mentions',
  'Moderation': 'Reports to the moderators',
  'Documentation': 'This description',
}

const DESCRIPTION = `JSON over HTTP; field names are snake_case. Send JSON bodies as \`application/json\`, uploads as \`multipart/form-data\`.

Authenticate with \`Authorization: Bearer <token>\` (a token from \`POST /api/auth/login\`).

Every error body is \`{"errors": [{"message", "field", "rule"}]}\` (\`field\` and \`rule\` where they apply). Lists are pages: \`?limit=\` 1–50 (default 20) and \`?before=<id>\`, answered as \`{"data": [...], "next": path | null}\`, newest first.`

/**
 * The /api routes and methods as the router has them. A wildcard route is
 * the catch-all that answers 404 for unknown addresses, not an endpoint.
 */
export function apiRoutes(routes: RouteJSON[] = registeredRoutes()) {
  return routes
    .filter(({ pattern }) => pattern === '/api' || pattern.startsWith('/api/'))
    .filter(({ pattern }) => !pattern.includes('*'))
    .flatMap((route) =>
      route.methods.filter((method) => method !== 'HEAD').map((method) => ({ method, route }))
    )
}

function registeredRoutes(): RouteJSON[] {
  return Object.values(router.toJSON()).flat()
}

export function buildOpenApiDocument(
  routes: RouteJSON[] = registeredRoutes(),
  table: Record<string, ApiOperation> = operations
) {
  const paths: OpenApiDocument['paths'] = {}
  const undocumented: string[] = []
  const tags = new Set<string>()

  for (const { method, route } of apiRoutes(routes)) {
    const key = `${method} ${route.pattern}`
    const operation = table[key]
    if (!operation) undocumented.push(key)
    const path = route.pattern.replace(/:(\w+)/g, '{$1}')
    // One route may answer several methods (PATCH and PUT): one operation each.
    const methods = route.methods.filter((name) => name !== 'HEAD')
    const operationId = methods.length > 1 ? `${route.name}.${method.toLowerCase()}` : route.name
    paths[path] ??= {}
    paths[path][method.toLowerCase()] = operation
      ? describe(operation, route, operationId)
      : { summary: 'Not described yet', operationId, responses: { default: { description: '' } } }
    if (operation) tags.add(operation.tag)
  }

  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: 'G-Social API', version: '1.0.0', description: DESCRIPTION },
    tags: Object.entries(TAGS)
      .filter(([name]) => tags.has(name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: { schemas, responses, securitySchemes },
  }
  return { document, undocumented }
}

let built: OpenApiDocument | undefined

/** The document for this process (routes are fixed once the app has booted). */
export function openApiDocument() {
  built ??= buildOpenApiDocument().document
  return built
}

function describe(operation: ApiOperation, route: RouteJSON, operationId?: string): Schema {
  const parameters = [...pathParameters(operation, route), ...queryParameters(operation.query)]
  const described: Schema = {
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(operationId ? { operationId } : {}),
    ...(operation.auth === 'bearer' ? { security: [{ bearer: [] }] } : {}),
    ...(operation.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(operation.body ? { requestBody: requestBody(operation.body) } : {}),
    responses: describeResponses(operation),
  }
  return described
}

function toSchema(source: SchemaSource): Schema {
  return typeof source.toJSONSchema === 'function'
    ? (source.toJSONSchema as () => Schema)()
    : (source as Schema)
}

function pathParameters(operation: ApiOperation, route: RouteJSON) {
  return [...route.pattern.matchAll(/:(\w+)/g)].map(([, name]) => {
    const described = operation.params?.[name]
    const schema =
      typeof described === 'object' ? described.schema : { type: 'integer', minimum: 1 }
    const description = typeof described === 'object' ? described.description : described
    return { name, in: 'path', required: true, schema, ...(description ? { description } : {}) }
  })
}

function queryParameters(source?: SchemaSource) {
  if (!source) return []
  const { properties = {}, required = [] } = toSchema(source)
  return Object.entries(properties as Record<string, Schema>).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    schema,
  }))
}

/** A file field: shown as a file input, sent as a multipart part. */
const FILE = { type: 'string', format: 'binary', description: 'A file (multipart part)' }

function requestBody(body: NonNullable<ApiOperation['body']>) {
  const files = body.files ?? []
  const content: Schema = {}
  let required = false
  if (body.json) {
    const schema = withoutFields(toSchema(body.json), files)
    content['application/json'] = { schema }
    required ||= schema.required?.length > 0
  }
  if (body.multipart) {
    const schema = toSchema(body.multipart)
    const properties = { ...schema.properties }
    for (const file of files) properties[file] = FILE
    content['multipart/form-data'] = { schema: { ...schema, properties } }
    required ||= schema.required?.length > 0
  }
  return { required, content }
}

function withoutFields(schema: Schema, fields: string[]) {
  if (!fields.length) return schema
  const properties = { ...schema.properties }
  for (const field of fields) delete properties[field]
  return {
    ...schema,
    properties,
    required: (schema.required ?? []).filter((name: string) => !fields.includes(name)),
  }
}

/** The route's own answers, then those its traits imply. */
function describeResponses(operation: ApiOperation) {
  const shared: Record<number, keyof typeof responses> = {}
  if (operation.body) {
    shared[400] = 'MalformedBody'
    shared[415] = 'UnsupportedMediaType'
    shared[413] = 'PayloadTooLarge'
    shared[422] = 'ValidationFailed'
  }
  if (operation.query) shared[422] = 'ValidationFailed'
  if (operation.auth) shared[401] = 'Unauthenticated'
  if (operation.verified) shared[403] = 'Forbidden'
  if (operation.rateLimited) shared[429] = 'TooManyRequests'
  if (operation.tag !== 'Documentation') shared[503] = 'ServiceUnavailable'

  const all: Record<string, Schema> = {}
  const statuses = [
    ...new Set([...Object.keys(operation.responses), ...Object.keys(shared)].map(Number)),
  ].sort((a, b) => a - b)
  for (const status of statuses) {
    const answer = operation.responses[status] ?? shared[status]
    if (typeof answer === 'string') {
      all[status] = { $ref: `#/components/responses/${answer}` }
    } else if (answer.schema) {
      all[status] = {
        description: answer.description,
        content: { 'application/json': { schema: answer.schema } },
      }
    } else if (answer.contentType) {
      all[status] = { description: answer.description, content: { [answer.contentType]: {} } }
    } else {
      all[status] = { description: answer.description }
    }
  }
  return all
}
