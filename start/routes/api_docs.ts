/*
|--------------------------------------------------------------------------
| The API described (app/openapi)
|--------------------------------------------------------------------------
|
| The OpenAPI document and its renderer's files are plain GETs; the docs
| page is a web page (layout, CSP).
|
*/
import router from '@adonisjs/core/services/router'
import { webMiddleware } from '#start/kernel'
import { rendererFileMatcher } from '#openapi/renderer'

const ApiDocsController = () => import('#controllers/api_docs_controller')

router.get('/api/openapi.json', [ApiDocsController, 'document']).as('api.openapi')
router.get('/api/docs', [ApiDocsController, 'show']).use(webMiddleware()).as('api.docs')
router
  .get('/api/docs/assets/:file', [ApiDocsController, 'asset'])
  .where('file', rendererFileMatcher)
  .as('api.docs.asset')
