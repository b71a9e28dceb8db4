// exam's repositories, built from its database: bound to the pool for requests, or to one transaction for a
// use case that writes to more than one table at once (transaction(), once()).
import type { Sql } from 'postgres'
import { inbox } from '@dreamseed/schema/exam'
import type { Envelope } from '@dreamseed/events'
import { createInbox, type Db, type Executor, type Tx } from '@dreamseed/kit'
import { createAccommodationsRepository } from './accommodations-repository.js'
import { createClassroomsRepository } from './classrooms-repository.js'
import { createExamsRepository } from './exams-repository.js'
import { createItemBankRepository } from './item-bank-repository.js'
import { createItemsRepository } from './items-repository.js'
import { createPassagesRepository } from './passages-repository.js'
import { createSessionsRepository, type Run } from './sessions-repository.js'
import { createSessionPausesRepository } from './session-pauses-repository.js'
import { createProctoringRepository } from './proctoring-repository.js'
import { createItemTimingRepository } from './item-timing-repository.js'

/** The service's database as app.ts has it (the kit's createDatabase). */
export interface Database {
  db: Db
  /** The same pool without drizzle, for bulk writes where drizzle's query building is the cost. */
  sql: Sql
  /** Runs a hot statement prepared (one round trip once the connection has it). */
  prepared: Run
}

function bind (db: Executor, run: Run, sql: Sql) {
  return {
    classrooms: createClassroomsRepository(db),
    accommodations: createAccommodationsRepository(db),
    exams: createExamsRepository(db),
    itemBank: createItemBankRepository(db),
    items: createItemsRepository(db, sql),
    passages: createPassagesRepository(db),
    sessions: createSessionsRepository(db, run),
    pauses: createSessionPausesRepository(db, run),
    proctoring: createProctoringRepository(db, run),
    itemTiming: createItemTimingRepository(db)
  }
}

/** The repositories bound to one transaction. */
export type TxRepositories = ReturnType<typeof bind>

export function createRepositories (database: Database) {
  const inTx = (tx: Tx): TxRepositories => bind(tx, async <R>(query: Parameters<Run>[0]) => await tx.execute(query) as unknown as R[], database.sql)
  const applied = createInbox(database.db, inbox)
  return {
    ...bind(database.db, database.prepared, database.sql),
    /** Runs `work` in one transaction, with the repositories bound to it: all of it is written, or none. */
    transaction: async <T>(work: (tx: TxRepositories) => Promise<T>): Promise<T> => await database.db.transaction(async (tx) => await work(inTx(tx))),
    /** Applies an incoming event once: `work` runs in the transaction that records its id in the inbox; undefined for a duplicate. */
    once: async <T>(envelope: Envelope<unknown>, work: (tx: TxRepositories) => Promise<T>): Promise<T | undefined> =>
      await applied.once(envelope, async (tx) => await work(inTx(tx)))
  }
}

export type Repositories = ReturnType<typeof createRepositories>
