// Every repository of auth, bound to one executor: the pool, or a transaction. A use case that needs several
// statements to commit together runs them as `deps.repos.transaction(async (tx) => { … tx.users… })`: `tx`
// holds the same repositories bound to the transaction (a savepoint inside one already open).
import { sql } from 'drizzle-orm'
import type { Executor } from '@dreamseed/kit'
import { createAccommodationsRepository } from './accommodations-repository.js'
import { createAuditRepository } from './audit-repository.js'
import { createClassroomsRepository } from './classrooms-repository.js'
import { createInvitationsRepository } from './invitations-repository.js'
import { createOrganizationsRepository } from './organizations-repository.js'
import { createOutboxRepository } from './outbox-repository.js'
import { createPasswordResetTokensRepository } from './password-reset-tokens-repository.js'
import { createSessionsRepository } from './sessions-repository.js'
import { createUsersRepository } from './users-repository.js'
import { createVerificationTokensRepository } from './verification-tokens-repository.js'

function bind (db: Executor) {
  return {
    users: createUsersRepository(db),
    sessions: createSessionsRepository(db),
    verificationTokens: createVerificationTokensRepository(db),
    passwordResetTokens: createPasswordResetTokensRepository(db),
    organizations: createOrganizationsRepository(db),
    invitations: createInvitationsRepository(db),
    classrooms: createClassroomsRepository(db),
    accommodations: createAccommodationsRepository(db),
    audit: createAuditRepository(db),
    outbox: createOutboxRepository(db),
    /**
     * Writes a content-free WAL record. A transaction that locks a row writes WAL, so its commit waits for a
     * flush that a read-only one skips: paths that must cost the same whether an address is known call this.
     */
    writeWalRecord: async (): Promise<void> => {
      await db.execute(sql`select pg_logical_emit_message(true, 'dreamseed.auth', '')`)
    }
  }
}

export type Repositories = ReturnType<typeof bind> & {
  /** Runs `work` in one transaction, with every repository bound to it. */
  transaction: <R>(work: (tx: Repositories) => Promise<R>) => Promise<R>
}

export function createRepositories (db: Executor): Repositories {
  return { ...bind(db), transaction: async (work) => await db.transaction(async (tx) => await work(createRepositories(tx))) }
}
