// What the use cases need from the outside, passed in so they never see a request or a Fastify instance.
import type { SQL } from 'drizzle-orm'
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import type { Sql } from 'postgres'
import type { BankCache } from './bank-cache.js'
import type { SessionCache } from './session-cache.js'

export type Db = PostgresJsDatabase<Record<string, unknown>>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface ExamDeps {
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

export interface RequestContext {
  requestId?: string
}
