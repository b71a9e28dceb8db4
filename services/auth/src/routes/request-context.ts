// What the use cases are told about a request: its id (carried into events) and the client (written into the
// audit log); and whether it came from a browser's form, which gets a page back instead of JSON.
import type { FastifyRequest } from 'fastify'
import type { ClientInfo, RequestContext } from '../domain/deps.js'

export const clientOf = (request: FastifyRequest): ClientInfo => ({ ip: request.ip, userAgent: request.headers['user-agent'] })

export const contextOf = (request: FastifyRequest): RequestContext => ({ requestId: request.id, client: clientOf(request) })

/** A browser's form post gets a page back; anything else gets JSON. */
export const wantsPage = (request: FastifyRequest): boolean => (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
