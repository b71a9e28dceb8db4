// exam's repositories, built from its database: bound to the pool for requests, or to one transaction for a
// use case that writes to more than one table at once (transaction()).
import type { SQL } from 'drizzle-orm'
import type { Db, Tx } from './db.js'
import { createItemBankRepository } from './item-bank-repository.js'

/** Runs a statement: the pool's prepared runner on the hot paths, a transaction's inside one. */
export type Run = <T>(query: SQL) => Promise<T[]>

/** The service's database as app.ts has it (kit's createDatabase). */
export interface Database {
  db: Db
  prepared: Run
}

function bind (db: Db | Tx) {
  return {
    itemBank: createItemBankRepository(db)
  }
}

export type TxRepositories = ReturnType<typeof bind>

export function createRepositories (database: Database) {
  return {
    ...bind(database.db),
    /** Runs `work` in one transaction, with the repositories bound to it: all of it is written, or none. */
    transaction: async <T>(work: (tx: TxRepositories) => Promise<T>): Promise<T> =>
      await database.db.transaction(async (tx) => await work(bind(tx)))
  }
}

export type Repositories = ReturnType<typeof createRepositories>
