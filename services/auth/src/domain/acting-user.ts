// Every change an admin or a teacher makes re-reads the acting account, locked, in the change's transaction:
// a token whose role or organization is stale (Redis unreachable, or a demotion a moment ago) changes nothing,
// and two admins demoting each other at once are serialized.
import { inArray } from 'drizzle-orm'
import { users } from '@dreamseed/schema/auth'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { Tx } from './verification-link.js'
import { TokenStaleError } from '../errors.js'
import { SessionRevokedError } from '@dreamseed/kit'

export const accountColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  organizationId: users.organizationId,
  emailVerifiedAt: users.emailVerifiedAt,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt
}

export interface Account {
  id: string
  email: string
  displayName: string
  role: 'student' | 'teacher' | 'admin'
  organizationId: string | null
  emailVerifiedAt: Date | null
  disabledAt: Date | null
  createdAt: Date
}

/** Locks the accounts (in id order, so concurrent changes cannot deadlock) and returns them by id. */
export async function lockAccounts (tx: Tx, ids: string[]): Promise<Map<string, Account>> {
  const unique = [...new Set(ids)].sort()
  const rows = await tx.select(accountColumns).from(users).where(inArray(users.id, unique)).orderBy(users.id).for('update')
  return new Map(rows.map((r) => [r.id, r]))
}

/** The acting account as the database has it now; 401 when it is gone, disabled, or its token's claims are stale. */
export function currentActor (accounts: Map<string, Account>, user: AuthenticatedUser): Account {
  const actor = accounts.get(user.id)
  if (actor === undefined || actor.disabledAt !== null) throw new SessionRevokedError()
  if (actor.role !== user.role || actor.organizationId !== user.organizationId) throw new TokenStaleError()
  return actor
}
