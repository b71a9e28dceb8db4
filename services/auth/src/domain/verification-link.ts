// Creates a verification token for a user inside the caller's transaction and returns what the event
// carries: the token sealed for the mailer, never in clear.
import { sql } from 'drizzle-orm'
import { newEventId, seal, verificationSealContext } from '@dreamseed/events'
import { verificationTokens } from '@dreamseed/schema/auth'
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import { newToken } from './tokens.js'
import type { AuthDeps } from './deps.js'

type Tx = Parameters<Parameters<PostgresJsDatabase<Record<string, unknown>>['transaction']>[0]>[0]

export interface SealedVerification { sealedToken: string, expiresAt: string }

export async function issueVerificationToken (tx: Tx, deps: AuthDeps, userId: string): Promise<SealedVerification> {
  const { token, hash } = newToken()
  const now = deps.now()
  const expiresAt = new Date(now.getTime() + deps.verificationTtlHours * 3600_000)
  await tx.insert(verificationTokens).values({ id: newEventId(), userId, tokenHash: hash, expiresAt, createdAt: now })
  return { sealedToken: seal(deps.sealKey, token, verificationSealContext(userId)), expiresAt: expiresAt.toISOString() }
}

/**
 * In one statement: unless `wanted` is false or a token was issued to the user after `since`, ends every token
 * still out and issues a new one, returned sealed; otherwise changes nothing and returns null. The token is made
 * and the statement runs either way, so every caller's path costs the same.
 */
export async function renewVerificationToken (tx: Tx, deps: AuthDeps, userId: string, options: { wanted: boolean, since: Date }): Promise<SealedVerification | null> {
  const { token, hash } = newToken()
  const now = deps.now()
  const expiresAt = new Date(now.getTime() + deps.verificationTtlHours * 3600_000)
  const sealed = { sealedToken: seal(deps.sealKey, token, verificationSealContext(userId)), expiresAt: expiresAt.toISOString() }
  const rows = await tx.execute<{ issued: number }>(sql`
    with due as (
      select ${options.wanted}::boolean and not exists (
        select 1 from auth.verification_tokens where user_id = ${userId}::uuid and created_at > ${options.since.toISOString()}::timestamptz) as yes
    ), ended as (
      update auth.verification_tokens set used_at = ${now.toISOString()}::timestamptz
      where user_id = ${userId}::uuid and used_at is null and (select yes from due)
    ), issued as (
      insert into auth.verification_tokens (id, user_id, token_hash, expires_at, created_at)
      select ${newEventId()}::uuid, ${userId}::uuid, ${hash}, ${expiresAt.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
      where (select yes from due)
      returning id
    )
    select count(*)::int as issued from issued`)
  return rows[0]?.issued === 1 ? sealed : null
}

export type { Tx }
