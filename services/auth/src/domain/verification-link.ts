// Creates a verification token for a user inside the caller's transaction and returns what the event
// carries: the token sealed for the mailer, never in clear.
import { newEventId, seal, verificationSealContext } from '@dreamseed/events'
import { verificationTokens } from '@dreamseed/schema/auth'
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import { newToken } from './tokens.js'
import type { AuthDeps } from './deps.js'

type Tx = Parameters<Parameters<PostgresJsDatabase<Record<string, unknown>>['transaction']>[0]>[0]

export async function issueVerificationToken (tx: Tx, deps: AuthDeps, userId: string): Promise<{ sealedToken: string, expiresAt: string }> {
  const { token, hash } = newToken()
  const now = deps.now()
  const expiresAt = new Date(now.getTime() + deps.verificationTtlHours * 3600_000)
  await tx.insert(verificationTokens).values({ id: newEventId(), userId, tokenHash: hash, expiresAt, createdAt: now })
  return { sealedToken: seal(deps.sealKey, token, verificationSealContext(userId)), expiresAt: expiresAt.toISOString() }
}

export type { Tx }
