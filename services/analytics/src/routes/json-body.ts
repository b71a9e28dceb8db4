// Routes whose answers the cache keeps as the JSON they send (domain/response-cache.ts, `rendered`). The body
// is written by the route's own response serializer (reply.serialize: the function Fastify would run on the
// object), so sending the stored string skips nothing the route would have done to it; the serializer is named
// by a digest of the 200 response schema, which goes into the cache key, so a body written under one schema
// is never sent by a route with another (two deploys sharing Redis).
import { createHash } from 'node:crypto'
import type { FastifyReply } from 'fastify'
import type { JsonSerializer } from '../domain/response-cache.js'

/**
 * The route's serializer for this request's reply, under an id that changes whenever the 200 response schema
 * (or `shape`, which makes the use case's answer the route's, e.g. a page into `{ items, nextCursor }`) does.
 */
export function responseSerializer<T> (schema: { response: { 200: unknown } }, shape: (value: T) => unknown = (value) => value): (reply: FastifyReply) => JsonSerializer<T> {
  const id = createHash('sha256').update(JSON.stringify(schema.response[200])).update(shape.toString()).digest('base64url').slice(0, 12)
  return (reply) => ({
    id,
    serialize: (value: T) => {
      // A response schema's serializer writes a string; the type also allows a custom serializer's bytes.
      const body = reply.serialize(shape(value))
      return typeof body === 'string' ? body : Buffer.from(body as Uint8Array).toString('utf8')
    }
  })
}

/** Sends a body the route's serializer wrote, as Fastify sends a serialized object. */
export function sendJson (reply: FastifyReply, body: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body)
}
