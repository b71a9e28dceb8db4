// The drizzle handle every repository is built from, and the transaction a projection writes in. Kept here,
// below the domain, so repositories and use cases share one definition without importing each other.
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'

export type Db = PostgresJsDatabase<Record<string, unknown>>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
