// What an organization holds in one service's Postgres schema, to prove that requests from outside it changed
// nothing: every row of every table of the schema that names one of its ids anywhere, hashed. A row changed,
// deleted, or added naming one of those ids (a stranger joining its classroom, an exam built from its items)
// changes the snapshot. Columns the background relay writes on its own are left out.
import type postgres from 'postgres'

/** Columns that change without any request (the outbox relay's bookkeeping). */
const VOLATILE = ['published_at', 'attempts', 'last_error']

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Table name to the sorted hashes of the organization's rows in it. */
export type RowsSnapshot = Record<string, string[]>

export async function organizationRows (sql: postgres.Sql, schema: string, ids: string[]): Promise<() => Promise<RowsSnapshot>> {
  const bad = ids.filter((id) => !UUID.test(id))
  if (ids.length === 0 || bad.length > 0) throw new Error(`organizationRows takes the organization's uuids (got ${bad.length > 0 ? bad.join(', ') : 'none'})`)
  const tables = (await sql<Array<{ table_name: string }>>`
    select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`).map((r) => r.table_name)
  if (tables.length === 0) throw new Error(`no tables in schema ${schema}`)
  const minus = VOLATILE.map((c) => ` - '${c}'`).join('')
  const patterns = ids.map((id) => `%${id.toLowerCase()}%`)
  const query = tables.map((t) =>
    `select '${t}' as t, md5((to_jsonb(x)${minus})::text) as h from "${schema}"."${t}" x where lower(to_jsonb(x)::text) like any($1::text[])`).join(' union all ')
  return async () => {
    const rows = await sql.unsafe<Array<{ t: string, h: string }>>(query, [patterns])
    const snapshot: RowsSnapshot = Object.fromEntries(tables.map((t) => [t, [] as string[]]))
    for (const r of rows) snapshot[r.t]!.push(r.h)
    for (const hashes of Object.values(snapshot)) hashes.sort()
    return snapshot
  }
}

/** "exam.items: 1 row changed or gone, 2 added" for each table that differs. */
export function rowChanges (schema: string, before: RowsSnapshot, after: RowsSnapshot): string[] {
  return Object.keys({ ...before, ...after }).flatMap((table) => {
    const was = new Set(before[table] ?? [])
    const now = new Set(after[table] ?? [])
    const gone = [...was].filter((h) => !now.has(h)).length
    const added = [...now].filter((h) => !was.has(h)).length
    return gone + added === 0 ? [] : [`${schema}.${table}: ${gone} row(s) changed or gone, ${added} row(s) changed or added`]
  })
}

/** How many rows a snapshot holds, so a test can show the comparison was not over nothing. */
export const rowCount = (s: RowsSnapshot): number => Object.values(s).reduce((n, hashes) => n + hashes.length, 0)
