// Sign in, refresh, log out, and manage one's sessions; plus the public keys other services verify with.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { login } from '../../domain/login.js'
import { listSessions, refreshAccessToken, revokeOtherSessions, revokeOwnSession } from '../../domain/sessions.js'
import { clientOf } from '../request-context.js'
import { listSessionsSchema, loginSchema, noContentSchema, refreshSchema, revokeOthersSchema, sessionParamsSchema } from './schemas.js'

const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.authDeps

  app.get('/.well-known/jwks.json', async (_request, reply) => {
    return reply.header('cache-control', 'public, max-age=300').send(deps.signer.jwks)
  })

  app.post('/auth/login', { schema: loginSchema }, async (request) => {
    const signedIn = await login(deps, request.body, clientOf(request))
    return {
      sessionToken: signedIn.sessionToken,
      accessToken: signedIn.accessToken,
      tokenType: 'Bearer' as const,
      expiresIn: deps.signer.ttlSeconds,
      session: { id: signedIn.session.id, idleExpiresAt: signedIn.session.idleExpiresAt.toISOString(), absoluteExpiresAt: signedIn.session.absoluteExpiresAt.toISOString() },
      user: signedIn.user
    }
  })

  app.post('/auth/token', { schema: refreshSchema }, async (request) => {
    const refreshed = await refreshAccessToken(deps, request.body.sessionToken)
    return { accessToken: refreshed.accessToken, tokenType: 'Bearer' as const, expiresIn: deps.signer.ttlSeconds, idleExpiresAt: refreshed.idleExpiresAt.toISOString() }
  })

  app.post('/auth/logout', { schema: noContentSchema, preHandler: app.requireUser }, async (request, reply) => {
    const user = request.user!
    await revokeOwnSession(deps, user.id, user.sessionId, clientOf(request), 'logout')
    return reply.code(204).send(null)
  })

  app.get('/auth/sessions', { schema: listSessionsSchema, preHandler: app.requireUser }, async (request) => {
    const user = request.user!
    const sessions = await listSessions(deps, user.id, user.sessionId)
    return {
      sessions: sessions.map((s) => ({
        ...s,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        idleExpiresAt: s.idleExpiresAt.toISOString(),
        absoluteExpiresAt: s.absoluteExpiresAt.toISOString()
      }))
    }
  })

  app.delete('/auth/sessions/:id', { schema: sessionParamsSchema, preHandler: app.requireUser }, async (request, reply) => {
    await revokeOwnSession(deps, request.user!.id, request.params.id, clientOf(request), 'session.revoke')
    return reply.code(204).send(null)
  })

  app.post('/auth/sessions/revoke-others', { schema: revokeOthersSchema, preHandler: app.requireUser }, async (request) => {
    const user = request.user!
    return { revoked: await revokeOtherSessions(deps, user.id, user.sessionId, clientOf(request)) }
  })
}

export default sessionRoutes
