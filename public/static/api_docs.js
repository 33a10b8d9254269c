// Renders /api/openapi.json on /api/docs with Swagger UI (loaded before this file).
document.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('api-docs')
  if (!root || typeof window.SwaggerUIBundle !== 'function') return
  window.SwaggerUIBundle({
    url: root.dataset.url,
    domNode: root,
    deepLinking: true,
    // Never send the document to the public validator service.
    validatorUrl: null,
  })
})
