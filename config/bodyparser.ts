import { defineConfig } from '@adonisjs/core/bodyparser'

const bodyParserConfig = defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],

  form: {
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],
  },

  json: {
    convertEmptyStringsToNull: true,
    types: [
      'application/json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'application/csp-report',
    ],
  },

  multipart: {
    // Files are read only by the `uploads` middleware, on upload routes and
    // after auth; elsewhere a multipart body is drained, never stored.
    autoProcess: false,
    maxFields: 50,
    convertEmptyStringsToNull: true,
    processManually: [],
    // Above the profile picture's own limit (2 MB, a 413 with its field) and
    // below Nginx's client_max_body_size.
    limit: '3mb',
    types: ['multipart/form-data'],
  },
})

export default bodyParserConfig
