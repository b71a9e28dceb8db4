// Verification tokens for a user, inside the caller's transaction, returned as the event carries them: sealed
// for the mailer, never in clear.
import { seal, verificationSealContext } from '@dreamseed/events'
import type { Repositories } from '../repositories/index.js'
import { newToken } from './tokens.js'
import type { AuthDeps } from './deps.js'

export interface SealedVerification { sealedToken: string, expiresAt: string }

type LinkDeps = Pick<AuthDeps, 'now' | 'verificationTtlHours' | 'sealKey'>

/** A new token and what it is stored and sent as. */
function newVerification (deps: LinkDeps, userId: string) {
  const { token, hash } = newToken()
  const now = deps.now()
  const expiresAt = new Date(now.getTime() + deps.verificationTtlHours * 3600_000)
  return { stored: { userId, tokenHash: hash, expiresAt, now }, sealed: { sealedToken: seal(deps.sealKey, token, verificationSealContext(userId)), expiresAt: expiresAt.toISOString() } }
}

export async function issueVerificationToken (tx: Repositories, deps: LinkDeps, userId: string): Promise<SealedVerification> {
  const { stored, sealed } = newVerification(deps, userId)
  await tx.verificationTokens.insert(stored)
  return sealed
}

/**
 * Unless `wanted` is false or a token was issued to the user after `since`, ends every token still out and
 * issues a new one, returned sealed; otherwise changes nothing and returns null. The token is made and the
 * statement runs either way, so every caller's path costs the same.
 */
export async function renewVerificationToken (tx: Repositories, deps: LinkDeps, userId: string, options: { wanted: boolean, since: Date }): Promise<SealedVerification | null> {
  const { stored, sealed } = newVerification(deps, userId)
  return await tx.verificationTokens.renewUnlessRecent(stored, options) ? sealed : null
}
