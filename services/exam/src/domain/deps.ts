// What the use cases need from the outside, passed in so they never see a request or a Fastify instance.
import type { SQL } from 'drizzle-orm'
import type { Sql } from 'postgres'
import type { Db } from '../repositories/db.js'
import type { Repositories } from '../repositories/index.js'
import type { BankCache } from './bank-cache.js'
import type { SessionCache } from './session-cache.js'

export interface ExamDeps {
  repos: Repositories
  db: Db
  /** The same pool without drizzle, for bulk writes where drizzle's query building is the cost. */
  sql: Sql
  /** Runs a hot statement prepared (one round trip once the connection has it). */
  prepared: <T>(query: SQL) => Promise<T[]>
  now: () => Date
  /** Called after a transaction that wrote to the outbox has committed. */
  eventsWritten: () => void
  /** What choosing and scoring need of each organization's items, in memory (bounded: bank-cache.ts). */
  bank: BankCache
  /** Sessions in progress, in memory between answers. */
  sessions: SessionCache
  importMaxItems: number
  /** Seeds of new sessions; tests pass a fixed one. */
  newSeed: () => number
}
