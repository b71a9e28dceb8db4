// Applies the committed drizzle-kit migrations to a database, creating the database first if needed.
// An advisory lock makes concurrent starts (several replicas, the start command) take turns.
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url))
const LOCK_KEY = 7_402_118_001

export async function ensureDatabase (url: string): Promise<void> {
  const target = new URL(url)
  const name = decodeURIComponent(target.pathname.slice(1))
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} })
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`
    if (rows.length === 0) {
      try { await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`) } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err // created meanwhile by someone else
      }
    }
  } finally {
    await sql.end()
  }
}

export async function migrateDatabase (url: string): Promise<void> {
  await ensureDatabase(url)
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await sql`select pg_advisory_lock(${LOCK_KEY})`
    await migrate(drizzle({ client: sql }), { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema: 'drizzle' })
    await sql`select pg_advisory_unlock(${LOCK_KEY})`
  } finally {
    await sql.end()
  }
}
