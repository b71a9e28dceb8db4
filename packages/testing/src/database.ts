// Each test file gets its own freshly migrated database, dropped at teardown, so files run in parallel
// and a re-run starts clean.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

interface Teardown { teardown: (fn: () => unknown) => void }

/**
 * `migrate` is @dreamseed/schema's migrateDatabase, passed in so this package depends on no other of ours.
 * `adminUrl` is another cluster's (a private one a test can restart).
 */
export async function createTestDatabase (t: Teardown, migrate: (url: string) => Promise<void>, adminUrl = ADMIN_URL): Promise<string> {
  const name = `dstest_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  await migrate(url.toString())
  t.teardown(async () => {
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
    try { await sql.unsafe(`drop database if exists "${name}" with (force)`) } finally { await sql.end() }
  })
  return url.toString()
}
