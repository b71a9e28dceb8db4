// A fingerprint of every table in a service's Postgres schema, to prove a rejected request changed no row.
// Columns the background relay writes on its own (when it publishes an outbox row) are left out, and so are
// rows a service writes on purpose when it refuses something (auth's failed-login audit entries).
import type postgres from 'postgres'

/** Columns that change without any request. */
const VOLATILE = ['published_at', 'attempts', 'last_error']

export interface TableFilter { table: string, where: string }

export interface Fingerprint { [table: string]: string }

export async function fingerprinter (sql: postgres.Sql, schema: string, filters: TableFilter[] = []): Promise<() => Promise<Fingerprint>> {
  const tables = (await sql<Array<{ table_name: string }>>`
    select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`).map((r) => r.table_name)
  if (tables.length === 0) throw new Error(`no tables in schema ${schema}`)
  const minus = VOLATILE.map((c) => ` - '${c}'`).join('')
  const parts = tables.map((t) => {
    const where = filters.find((f) => f.table === t)?.where
    // An order-free sum of 64-bit row hashes: no sort, no long string, per request.
    return `(select coalesce(sum(hashtextextended((to_jsonb(x)${minus})::text, 0)), 0)::text || ':' || count(*) from "${schema}"."${t}" x${where === undefined ? '' : ` where ${where}`}) as "${t}"`
  })
  const query = `select ${parts.join(', ')}`
  return async () => (await sql.unsafe(query))[0] as Fingerprint
}

/** Tables whose fingerprint differs. */
export function changedTables (before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(after).filter((t) => before[t] !== after[t])
}
