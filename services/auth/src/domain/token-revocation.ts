// Refuses every access token a user holds, everywhere, from now: used when their role or organization changes
// (the claims in those tokens are stale) and when they are disabled.
import { revokeUserTokensBefore } from '@dreamseed/kit'
import type { AuthDeps } from './deps.js'

export type RevocationDeps = Pick<AuthDeps, 'redis' | 'revocationFailed'> & { signer: { ttlSeconds: number } }

/**
 * Tokens carry their issue time to the millisecond (iat_ms), so a token issued after the change is accepted
 * even within the same second; one issued at or before it is refused.
 */
export async function refuseTokensIssuedBefore (deps: RevocationDeps, userId: string, at: Date): Promise<void> {
  try {
    await revokeUserTokensBefore(deps.redis, userId, at.getTime(), deps.signer.ttlSeconds + 60)
  } catch (err) {
    // Every change an admin or a teacher makes re-reads the acting account from the database, and refresh
    // reads the role afresh; only reads with an old token outlive a Redis outage, for minutes at most.
    deps.revocationFailed(err)
  }
}
