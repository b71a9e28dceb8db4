// What a use case that changes something needs to know about the request: its id (carried into events) and
// the client (written into the audit log).
import type { FastifyRequest } from 'fastify'
import type { RequestContext } from '../domain/organizations.js'
import { clientOf } from './sessions/index.js'

export const contextOf = (request: FastifyRequest): RequestContext => ({ requestId: request.id, client: clientOf(request) })
