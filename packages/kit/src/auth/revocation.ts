// Revocation that reaches every service within a second: auth writes a key to Redis when it ends a session
// or cuts off a user, and every service's auth check reads both keys in one round trip. The keys only need
// to outlive the access tokens they cancel; after that the session itself (in auth's database) is refused.
import type { Redis } from 'ioredis'
import type { AuthenticatedUser } from './access-token.js'

const sessionKey = (sessionId: string): string => `auth:revoked:session:${sessionId}`
const userKey = (userId: string): string => `auth:revoked:user:${userId}`

/** Ends one session everywhere. */
export async function revokeSessions (redis: Redis, sessionIds: string[], ttlSeconds: number): Promise<void> {
  if (sessionIds.length === 0) return
  const pipeline = redis.multi()
  for (const id of sessionIds) pipeline.set(sessionKey(id), '1', 'EX', ttlSeconds)
  await pipeline.exec()
}

/** Refuses every access token of a user issued before `atMs` (a disabled account, a role change). */
export async function revokeUserTokensBefore (redis: Redis, userId: string, atMs: number, ttlSeconds: number): Promise<void> {
  await redis.set(userKey(userId), String(atMs), 'EX', ttlSeconds)
}

export async function isRevoked (redis: Redis, user: AuthenticatedUser): Promise<boolean> {
  const [session, userCutoff] = await redis.mget(sessionKey(user.sessionId), userKey(user.id))
  if (session !== null && session !== undefined) return true
  // A token without iat_ms counts from the start of its second: one issued in the cut-off's second is refused.
  return userCutoff !== null && userCutoff !== undefined && user.issuedAt <= Number(userCutoff)
}
