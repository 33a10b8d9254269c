import type { Edge } from 'edge.js'

/**
 * Edge 6 lists the components folder on disk before every render: its
 * component-tags plugin reads the cache setting when the instance is built,
 * before the provider turns the cache on. Where templates never change
 * (production), the first listing stands: it is taken at the first render,
 * after every disk is mounted.
 */
export function listComponentsOnce(edge: Edge) {
  const listComponents = edge.loader.listComponents.bind(edge.loader)
  let components: ReturnType<typeof listComponents> | undefined
  edge.loader.listComponents = () => (components ??= listComponents())
}
