import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * The docs page's renderer: Swagger UI's prebuilt files from the
 * swagger-ui-dist package (pinned in package.json), served from our own
 * origin so the page needs no CDN and fits the CSP.
 */
export const RENDERER_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const

const root = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

export function rendererFilePath(file: (typeof RENDERER_FILES)[number]) {
  return join(root, file)
}

/** Route matcher: only the files above, so any other name is a 404 before a controller runs. */
export const rendererFileMatcher = {
  match: new RegExp(`^(${RENDERER_FILES.map((f) => f.replaceAll('.', '\\.')).join('|')})$`),
}
