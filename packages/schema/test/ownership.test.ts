import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { is } from 'drizzle-orm'
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core'
import { SERVICE_SCHEMAS } from '../src/index.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))

function files (dir: string): string[] {
  let out: string[] = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out = out.concat(files(p))
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(p)
  }
  return out
}

t.test('every table lives in the Postgres schema named after the service that owns it, and is declared once', async (t) => {
  const seen = new Map<string, string>()
  for (const [service, module] of Object.entries(SERVICE_SCHEMAS)) {
    for (const value of Object.values(module)) {
      if (!is(value, PgTable)) continue
      const config = getTableConfig(value)
      t.equal(config.schema, service, `${config.schema}.${config.name} is exported by ${service}`)
      const key = `${config.schema}.${config.name}`
      t.notOk(seen.has(key), `${key} declared once`)
      seen.set(key, service)
    }
  }
  t.ok(seen.has('auth.users') && seen.has('auth.outbox') && seen.has('notification.email_deliveries') && seen.has('analytics.inbox') && seen.has('analytics.outbox'))
})

t.test('tables are declared only in packages/schema, each in one file', async (t) => {
  const declaration = /\b(pgTable|\w+\.table)\(\s*['"]([\w]+)['"]/g
  const declaredAt = new Map<string, string[]>()
  for (const file of [...files(join(root, 'services')), ...files(join(root, 'packages'))]) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(declaration)) {
      const rel = relative(root, file)
      if (rel.includes('/test/')) continue
      t.match(rel, /^packages\/schema\/src\//, `${m[2]} is declared in packages/schema (found in ${rel})`)
      declaredAt.set(`${rel}:${m[2]}`, [...(declaredAt.get(m[2] ?? '') ?? []), rel])
    }
  }
  t.ok(declaredAt.size >= 3, 'the scan found the declarations')
})

t.test('no service imports another service\'s tables', async (t) => {
  const servicesDir = join(root, 'services')
  let checked = 0
  for (const service of readdirSync(servicesDir)) {
    for (const file of files(join(servicesDir, service))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/from\s+['"]@dreamseed\/schema(?:\/([\w-]+))?['"]/g)) {
        checked++
        // The migration runner holds no tables (checked below); any other entry must be the service's own.
        if (m[1] === 'migrate') continue
        t.equal(m[1], service, `${relative(root, file)} imports @dreamseed/schema/${m[1] ?? ''} (only its own tables)`)
      }
    }
  }
  t.ok(checked > 0, 'the scan found schema imports')
  const runner = await import('../src/migrate.js')
  t.same(Object.values(runner).filter((v) => is(v, PgTable)), [], '@dreamseed/schema/migrate exports no table')
})
