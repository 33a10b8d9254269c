import type { HttpContext } from '@adonisjs/core/http'
import { openApiDocument } from '#openapi/document'
import { RENDERER_FILES, rendererFilePath } from '#openapi/renderer'

/**
 * The API described: the OpenAPI document, the page that renders it, and
 * the renderer's files (from npm, served from our origin).
 */
export default class ApiDocsController {
  document() {
    return openApiDocument()
  }

  show({ view }: HttpContext) {
    return view.render('pages/api_docs')
  }

  /** The route's matcher only lets RENDERER_FILES through. */
  asset({ params, response }: HttpContext) {
    const file = params.file as (typeof RENDERER_FILES)[number]
    response.header('cache-control', 'public, max-age=86400')
    return response.download(rendererFilePath(file))
  }
}
