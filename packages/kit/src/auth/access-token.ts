// The short-lived access token every service trusts: an EdDSA-signed JWT that auth issues against a session,
// verified anywhere with auth's public key (its JWKS), so no service calls auth on the hot path.
import { jwtVerify, type JWTVerifyGetKey, type CryptoKey, type KeyObject } from 'jose'

export type Role = 'student' | 'teacher' | 'admin'

export interface AccessClaims {
  /** user id */
  sub: string
  /** session id */
  sid: string
  role: Role
  /** organization id, or null for a user in none yet */
  org: string | null
  iat: number
  exp: number
}

export interface AuthenticatedUser {
  id: string
  sessionId: string
  role: Role
  organizationId: string | null
  /** When the access token was issued (ms): revocations after this time apply to it. */
  issuedAt: number
}

export const ACCESS_TOKEN_ALGORITHM = 'EdDSA'

export type KeyResolver = JWTVerifyGetKey | CryptoKey | KeyObject

export async function verifyAccessToken (token: string, key: KeyResolver, options: { issuer: string, audience: string }): Promise<AuthenticatedUser> {
  return (await verifyAccessTokenWithExpiry(token, key, options)).user
}

/** The user and when the token expires (ms), for a cache of verified tokens. */
export async function verifyAccessTokenWithExpiry (token: string, key: KeyResolver, options: { issuer: string, audience: string, currentDate?: Date }): Promise<{ user: AuthenticatedUser, expiresAt: number }> {
  const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, { issuer: options.issuer, audience: options.audience, algorithms: [ACCESS_TOKEN_ALGORITHM], ...(options.currentDate === undefined ? {} : { currentDate: options.currentDate }) })
  const claims = payload as unknown as Partial<AccessClaims>
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !['student', 'teacher', 'admin'].includes(claims.role as string) || typeof claims.iat !== 'number') {
    throw new Error('access token lacks its claims')
  }
  // iat_ms refines iat when it agrees with it (a token from before the claim existed has only iat).
  const ms = (payload as { iat_ms?: unknown }).iat_ms
  const issuedAt = typeof ms === 'number' && Math.floor(ms / 1000) === claims.iat ? ms : claims.iat * 1000
  const user = { id: claims.sub, sessionId: claims.sid, role: claims.role as Role, organizationId: typeof claims.org === 'string' ? claims.org : null, issuedAt }
  return { user, expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : 0 }
}
