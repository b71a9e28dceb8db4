// The drizzle database as exam's repositories take it: the pool's, or a transaction's.
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'

export type Db = PostgresJsDatabase<Record<string, unknown>>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
