// Verification links' tokens (stored as SHA-256 hashes): single use, expiring, renewed when an unverified
// account registers again or asks for a new mail.
import { sql } from 'drizzle-orm'
import { newEventId } from '@dreamseed/events'
import { verificationTokens } from '@dreamseed/schema/auth'
import { runPrepared, type Executor } from '@dreamseed/kit'
import { createSingleUseTokens } from './single-use-tokens-repository.js'

export function createVerificationTokensRepository (db: Executor) {
  return {
    ...createSingleUseTokens(db, verificationTokens),

    /**
     * In one statement: unless `wanted` is false or a token was issued to the user after `since`, ends every token
     * still out and stores this one; otherwise changes nothing. Returns whether it was stored. The statement
     * runs either way, so every caller's path costs the same.
     */
    renewUnlessRecent: async (token: { userId: string, tokenHash: string, expiresAt: Date, now: Date }, options: { wanted: boolean, since: Date }): Promise<boolean> => {
      const { userId, tokenHash, expiresAt, now } = token
      const rows = await runPrepared<{ issued: number }>(db, sql`
        with due as (
          select ${options.wanted}::boolean and not exists (
            select 1 from auth.verification_tokens where user_id = ${userId}::uuid and created_at > ${options.since.toISOString()}::timestamptz) as yes
        ), ended as (
          update auth.verification_tokens set used_at = ${now.toISOString()}::timestamptz
          where user_id = ${userId}::uuid and used_at is null and (select yes from due)
        ), issued as (
          insert into auth.verification_tokens (id, user_id, token_hash, expires_at, created_at)
          select ${newEventId()}::uuid, ${userId}::uuid, ${tokenHash}, ${expiresAt.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
          where (select yes from due)
          returning id
        )
        select count(*)::int as issued from issued`)
      return rows[0]?.issued === 1
    }
  }
}

export type VerificationTokensRepository = ReturnType<typeof createVerificationTokensRepository>
