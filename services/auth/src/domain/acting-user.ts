// Every change an admin or a teacher makes re-reads the acting account, locked, in the change's transaction:
// a token whose role or organization is stale (Redis unreachable, or a demotion a moment ago) changes nothing,
// and two admins demoting each other at once are serialized.
import { SessionRevokedError, type AuthenticatedUser } from '@dreamseed/kit'
import type { Account } from '../repositories/users-repository.js'
import type { Repositories } from '../repositories/index.js'
import { TokenStaleError } from '../errors.js'

/** The acting account as the database has it now; 401 when it is gone, disabled, or its token's claims are stale. */
export function currentActor (accounts: Map<string, Account>, user: AuthenticatedUser): Account {
  const actor = accounts.get(user.id)
  if (actor === undefined || actor.disabledAt !== null) throw new SessionRevokedError()
  if (actor.role !== user.role || actor.organizationId !== user.organizationId) throw new TokenStaleError()
  return actor
}

/** Locks the acting account alone and checks it is current. */
export async function lockActor (tx: Repositories, user: AuthenticatedUser): Promise<Account> {
  return currentActor(await tx.users.lockAccounts([user.id]), user)
}
