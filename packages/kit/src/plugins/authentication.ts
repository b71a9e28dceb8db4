// Authenticates requests with auth's access tokens: `request.user` is set when a valid, unrevoked bearer
// token comes with the request, and routes say in one line what they need:
//   { preHandler: app.requireUser }                      any signed-in user (401 otherwise)
//   { preHandler: app.requireRole('teacher', 'admin') }  401 without a user, 403 with the wrong role
// (as onRequest instead on a route taking a large body: refused before the body is read)
// Ownership rules live in the use cases, which call `assertSameOrganization` / `assertSelfOrRole`.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Redis } from 'ioredis'
import { Counter } from 'prom-client'
import { AuthenticationError, AuthorizationError, ForbiddenError, SessionRevokedError, TokenExpiredError, TokenInvalidError } from '../errors.js'
import { verifyAccessTokenWithExpiry, type AuthenticatedUser, type KeyResolver, type Role } from '../auth/access-token.js'
import { isRevoked } from '../auth/revocation.js'
import { createRemoteKeySet } from '../auth/remote-key-set.js'
import { AUTH_REQUIRED } from './openapi.js'

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthenticatedUser | null
  }
  interface FastifyInstance {
    requireUser: preHandlerAsyncHookHandler
    requireRole: (...roles: Role[]) => preHandlerAsyncHookHandler
  }
}

export interface AuthenticationOptions {
  /** auth's JWKS URL (other services), or the keys themselves (auth). */
  keys: { jwksUrl: string } | { key: KeyResolver }
  issuer: string
  audience: string
  /** Where revocations are read; without Redis, revocation is not checked (logged and counted). */
  redis?: () => Redis | undefined
  /** How many verified tokens to remember until they expire (0: verify every request). Default 10 000. */
  verifiedTokenCacheSize?: number
  /** A clock the tests can move. */
  now?: () => number
}

export const authenticationPlugin = fp(async (app: FastifyInstance, options: AuthenticationOptions) => {
  const key: KeyResolver = 'jwksUrl' in options.keys
    ? createRemoteKeySet(options.keys.jwksUrl, { onStaleRefreshFailed: (err) => { app.log.warn({ err }, 'auth\'s keys could not be fetched again; the ones fetched before stay in use') } })
    : options.keys.key
  const unchecked = new Counter({ name: 'auth_revocation_unchecked_total', help: 'Requests let through without a revocation check because Redis was unreachable', registers: [app.metrics.registry] })

  // A signature check costs more than the rest of a cheap request (an EdDSA verification on the thread
  // pool); a token already verified is remembered until it expires. Revocation is still checked every time.
  const cacheSize = options.verifiedTokenCacheSize ?? 10_000
  const now = options.now ?? Date.now
  const cache = new Map<string, { user: AuthenticatedUser, expiresAt: number }>()
  const verified = async (token: string): Promise<AuthenticatedUser> => {
    const hit = cache.get(token)
    if (hit !== undefined) {
      cache.delete(token)
      if (hit.expiresAt > now()) { cache.set(token, hit); return hit.user }
    }
    const fresh = await verifyAccessTokenWithExpiry(token, key, { issuer: options.issuer, audience: options.audience, ...(options.now === undefined ? {} : { currentDate: new Date(now()) }) })
    if (cacheSize > 0) {
      cache.set(token, fresh)
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value!)
    }
    return fresh.user
  }

  const authenticate = async (request: FastifyRequest): Promise<AuthenticatedUser | null> => {
    const header = request.headers.authorization
    if (header === undefined) return null
    const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(header)
    if (match?.[1] === undefined) throw new TokenInvalidError()
    let user: AuthenticatedUser
    try {
      user = await verified(match[1])
    } catch (err) {
      const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED'
      throw expired ? new TokenExpiredError() : new TokenInvalidError()
    }
    const redis = options.redis?.()
    try {
      if (redis !== undefined && await isRevoked(redis, user)) throw new SessionRevokedError()
    } catch (err) {
      if (err instanceof AuthenticationError) throw err
      // Redis down: an access token lives minutes, and refusing everyone would turn a cache outage into a
      // platform outage. The request goes through, counted, and the session is still checked at refresh.
      unchecked.inc()
      request.log.warn({ err }, 'revocation not checked: redis unreachable')
    }
    return user
  }

  app.decorateRequest('user', null)
  app.addHook('onRequest', async (request) => { request.user = await authenticate(request) })
  // Marked so the OpenAPI document shows which routes need a bearer token.
  const guard = (fn: preHandlerAsyncHookHandler): preHandlerAsyncHookHandler => Object.assign(fn, { [AUTH_REQUIRED]: true })
  app.decorate('requireUser', guard(async (request: FastifyRequest) => {
    if (request.user === null) throw new AuthenticationError()
  }))
  app.decorate('requireRole', (...roles: Role[]) => guard(async (request: FastifyRequest) => {
    if (request.user === null) throw new AuthenticationError()
    if (!roles.includes(request.user.role)) throw new ForbiddenError(`This needs the role ${roles.join(' or ')}`)
  }))
}, { name: 'dreamseed-authentication', fastify: '5.x', dependencies: ['dreamseed-metrics'] })

/** 403 unless the user acts within the given organization. */
export function assertSameOrganization (user: AuthenticatedUser, organizationId: string | null): void {
  if (organizationId === null || user.organizationId !== organizationId) throw new ForbiddenError('This belongs to another organization')
}

/** 403 unless the user is the owner or has one of the roles (within the owner's organization, checked by the caller). */
export function assertSelfOrRole (user: AuthenticatedUser, ownerId: string, ...roles: Role[]): void {
  if (user.id !== ownerId && !roles.includes(user.role)) throw new AuthorizationError()
}
