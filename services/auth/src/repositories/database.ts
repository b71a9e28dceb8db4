// What auth's repositories run their statements on: the pool or a transaction, the same drizzle API either way.
import type { PgDatabase } from 'drizzle-orm/pg-core'
import type { PostgresJsDatabase, PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js'

export type Db = PostgresJsDatabase<Record<string, unknown>>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** The pool (Db) or a transaction (Tx). */
export type Executor = PgDatabase<PostgresJsQueryResultHKT, Record<string, unknown>>
