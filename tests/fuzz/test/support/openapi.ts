// The routes a service documents at GET /docs/json, reduced to what a fuzzer needs: where the parameters go,
// their JSON Schemas, which content types a body may have, and whether a bearer token is required.
import type { Injectable } from './fuzz.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON Schema as the document gives it
export type Schema = Record<string, any>

export interface Route {
  method: string
  /** OpenAPI form: /exam/items/{id} */
  path: string
  params: Record<string, Schema>
  query: { properties: Record<string, Schema>, required: string[] }
  /** Content type to schema; an empty object when the route takes a body the document does not describe. */
  body?: Record<string, Schema | undefined>
  secured: boolean
}

interface Operation {
  parameters?: Array<{ in: string, name: string, required?: boolean, schema: Schema }>
  requestBody?: { content: Record<string, { schema?: Schema }> }
  security?: unknown[]
}

export async function documentedRoutes (app: { ops: Injectable }): Promise<Route[]> {
  const res = await app.ops.inject({ method: 'GET', url: '/docs/json' })
  if (res.statusCode !== 200) throw new Error(`GET /docs/json answered ${res.statusCode}`)
  const doc = JSON.parse(res.body) as { paths?: Record<string, Record<string, Operation>> }
  const routes: Route[] = []
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(operations)) {
      const parameters = op.parameters ?? []
      const route: Route = {
        method: method.toUpperCase(),
        path,
        params: Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.schema])),
        query: {
          properties: Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
          required: parameters.filter((p) => p.in === 'query' && p.required === true).map((p) => p.name)
        },
        secured: (op.security ?? []).length > 0
      }
      if (op.requestBody !== undefined) route.body = Object.fromEntries(Object.entries(op.requestBody.content).map(([type, c]) => [type, c.schema]))
      routes.push(route)
    }
  }
  return routes
}

export const routeName = (r: Pick<Route, 'method' | 'path'>): string => `${r.method} ${r.path}`

/** The routes every service has on its ops port, outside its document (health, metrics, the document itself). */
export const INTERNAL_ROUTES: Route[] = ['/health/live', '/health/ready', '/health/database/pool', '/metrics', '/docs/json']
  .map((path) => ({ method: 'GET', path, params: {}, query: { properties: {}, required: [] }, secured: false }))
