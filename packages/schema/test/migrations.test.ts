import t from 'tap'
import postgres from 'postgres'
import { createTestDatabase } from '@dreamseed/testing'
import { migrateDatabase } from '../src/migrate.js'

t.test('the committed migrations create every table in its service schema, and re-running them changes nothing', async (t) => {
  const url = await createTestDatabase(t, migrateDatabase)
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  t.teardown(() => sql.end())
  const tables = await sql<Array<{ s: string, n: string }>>`
    select table_schema as s, table_name as n from information_schema.tables
    where table_schema in ('auth', 'notification', 'exam') order by 1, 2`
  t.same(tables.map((r) => `${r.s}.${r.n}`), ['auth.accommodations', 'auth.audit_log', 'auth.classroom_members', 'auth.classrooms', 'auth.invitations', 'auth.organizations', 'auth.outbox', 'auth.password_reset_tokens', 'auth.sessions', 'auth.users', 'auth.verification_tokens', 'exam.accommodations', 'exam.assignments', 'exam.classroom_members', 'exam.classrooms', 'exam.exams', 'exam.inbox', 'exam.item_bank_versions', 'exam.item_timing', 'exam.items', 'exam.outbox', 'exam.passages', 'exam.proctor_actions', 'exam.responses', 'exam.sessions', 'notification.email_deliveries'])
  const applied = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`
  await Promise.all([migrateDatabase(url), migrateDatabase(url)])
  const again = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`
  t.equal(again[0]?.n, applied[0]?.n, 'concurrent re-runs apply nothing twice')
})
