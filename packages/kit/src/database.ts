// One pool factory: a postgres.js pool sized from config, wrapped by drizzle with the service's own tables,
// named so its connections can be counted from pg_stat_activity, and counting the queries it runs
// (tests assert query counts per request; the N+1 guard).
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { SQL } from 'drizzle-orm'

export interface PoolSettings {
  databaseUrl: string
  dbPoolMax: number
  dbIdleTimeoutS: number
  dbMaxLifetimeS: number
  dbConnectTimeoutS: number
  dbIdleInTransactionTimeoutMs: number
  serviceName: string
}

export interface PoolStats {
  max: number
  open: number
  active: number
  idle: number
  idleTimeoutSeconds: number
  maxLifetimeSeconds: number
  connectTimeoutSeconds: number
  queries: number
}

export interface Database<TSchema extends Record<string, unknown>> {
  sql: postgres.Sql
  db: PostgresJsDatabase<TSchema>
  /** Queries issued through drizzle (and `prepared`) since start; read it before and after a request to count. */
  queryCount: () => number
  /**
   * Runs a drizzle `sql` query as a named prepared statement. drizzle sends parameterised statements
   * unprepared, and postgres.js then waits on a Describe before it executes: two round trips. A hot path
   * prepared once per connection takes one.
   */
  prepared: <T>(query: SQL) => Promise<T[]>
  stats: () => Promise<PoolStats>
  close: () => Promise<void>
}

export function createDatabase<TSchema extends Record<string, unknown>> (settings: PoolSettings, schema: TSchema): Database<TSchema> {
  const applicationName = `${settings.serviceName}-${process.pid}-${randomBytes(3).toString('hex')}`
  const sql = postgres(settings.databaseUrl, {
    max: settings.dbPoolMax,
    idle_timeout: settings.dbIdleTimeoutS,
    max_lifetime: settings.dbMaxLifetimeS,
    connect_timeout: settings.dbConnectTimeoutS,
    // A transaction left open (a handler awaiting something slow between its statements) is ended by Postgres
    // rather than holding its locks and the oldest snapshot until the process dies.
    connection: { application_name: applicationName, idle_in_transaction_session_timeout: settings.dbIdleInTransactionTimeoutMs },
    onnotice: () => {}
  })
  let queries = 0
  const db = drizzle({ client: sql, schema, logger: { logQuery: () => { queries++ } } })
  return {
    sql,
    db,
    queryCount: () => queries,
    prepared: async <T>(query: SQL): Promise<T[]> => await runPrepared<T>(db, query),
    stats: async () => {
      const rows = await sql<Array<{ state: string | null, n: number }>>`
        select state, count(*)::int as n from pg_stat_activity
        where application_name = ${applicationName} and pid <> pg_backend_pid() group by state`
      // A connection inside a transaction is lent out even between its statements ("idle in transaction").
      const idle = rows.filter((r) => r.state === 'idle' || r.state === null).reduce((a, r) => a + r.n, 0)
      const active = rows.reduce((a, r) => a + r.n, 0) - idle
      return {
        max: settings.dbPoolMax,
        // the connection answering this query counts as in use
        open: active + idle + 1,
        active: active + 1,
        idle,
        idleTimeoutSeconds: settings.dbIdleTimeoutS,
        maxLifetimeSeconds: settings.dbMaxLifetimeS,
        connectTimeoutSeconds: settings.dbConnectTimeoutS,
        queries
      }
    },
    close: async () => { await sql.end({ timeout: 5 }) }
  }
}

const dialect = new PgDialect()

/**
 * Runs a drizzle `sql` query as a prepared statement on the pool or inside a transaction (`Database.prepared`
 * says why): through the executor's own drizzle session, so it runs on the transaction's connection and is
 * counted like every other query. postgres.js keeps one prepared statement per connection and query text.
 */
export async function runPrepared<T> (db: Executor, query: SQL): Promise<T[]> {
  // A name makes drizzle's postgres.js session ask for a prepared statement; postgres.js names it itself.
  return await db._.session.prepareQuery<{ execute: T[], all: unknown, values: unknown }>(dialect.sqlToQuery(query), undefined, 'prepared', false).execute()
}

/** A service's drizzle database, as the use cases and repositories see it (the tables come with each query). */
export type Db = PostgresJsDatabase<Record<string, unknown>>
/** The same inside a transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** What a repository runs its statements on: the pool or a transaction. */
export type Executor = Db | Tx
