// The drizzle database as exam's repositories take it: the pool's, or a transaction's.
import type { SQL } from 'drizzle-orm'
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'

export type Db = PostgresJsDatabase<Record<string, unknown>>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/** Runs a statement: the pool's prepared runner on the hot paths (one round trip), a transaction's inside one. */
export type Run = <T>(query: SQL) => Promise<T[]>
