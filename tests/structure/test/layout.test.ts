import t from 'tap'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { ROOT, SERVICES, importsOf, resolveRelative, tsFiles } from './source.js'

// What may stand in a service's src/, each always for the same thing (../shared/STYLE.md).
const ENTRIES = new Set(['app.ts', 'server.ts', 'config.ts', 'errors.ts', 'plugins', 'routes', 'consumers', 'domain', 'repositories', 'jobs', 'cli', 'views'])
// errors.ts too where the service raises errors of its own (error-tables.test.ts).
const REQUIRED = ['app.ts', 'server.ts', 'config.ts', 'domain', 'repositories']
// Query building and table objects: only repositories see them; the entry points that build a pool (app.ts and
// the command-line tools) hand it the service's tables, and nothing else.
const DATA_ACCESS = /^(drizzle-orm(\/.*)?|postgres|@dreamseed\/schema(\/.*)?)$/
const QUERY_BUILDING = /^(drizzle-orm(\/.*)?|postgres)$/
const buildsPool = (file: string): boolean => file.endsWith('/src/app.ts') || file.includes('/src/cli/')

for (const service of SERVICES) {
  const src = join(ROOT, 'services', service, 'src')

  t.test(`${service}: src/ holds the same entries for the same things as every service`, async (t) => {
    const entries = readdirSync(src)
    t.same(entries.filter((e) => !ENTRIES.has(e)), [], 'nothing outside the shape')
    t.same(REQUIRED.filter((e) => !existsSync(join(src, e))), [], 'every required entry')
  })

  t.test(`${service}: SQL and tables only in repositories/`, async (t) => {
    const files = tsFiles(`services/${service}/src`).filter((f) => !f.includes('/src/repositories/'))
    t.ok(files.length > 5)
    const offenders = files.flatMap((f) => importsOf(f).filter((i) => !i.typeOnly && (buildsPool(f) ? QUERY_BUILDING : DATA_ACCESS).test(i.specifier)).map((i) => `${f} imports ${i.specifier}`))
    t.same(offenders, [])
  })

  t.test(`${service}: the layers point one way (entry points → domain → repositories)`, async (t) => {
    const files = tsFiles(`services/${service}/src`)
    const layer = (file: string): string => /\/src\/([a-z-]+)\//.exec(file)?.[1] ?? 'root'
    const wrong: string[] = []
    for (const file of files) {
      for (const i of importsOf(file)) {
        const target = resolveRelative(file, i.specifier)
        if (target === undefined) continue
        const [from, to] = [layer(file), layer(target)]
        // The domain never calls back into what calls it (it may name the type of a dependency handed to it, e.g.
        // the mailer's); repositories may name the domain's model types only.
        if (from === 'domain' && !i.typeOnly && ['routes', 'consumers', 'plugins', 'jobs', 'cli', 'root'].includes(to) && !target.endsWith('/src/errors.ts')) wrong.push(`${file} → ${target}`)
        if (from === 'repositories' && to === 'domain' && !i.typeOnly) wrong.push(`${file} → ${target} (not type-only)`)
        if (from === 'repositories' && ['routes', 'consumers', 'plugins', 'jobs', 'cli'].includes(to)) wrong.push(`${file} → ${target}`)
      }
    }
    t.ok(files.length > 5)
    t.same(wrong, [])
  })

  t.test(`${service}: repositories are named for their aggregate and live in repositories/`, async (t) => {
    const files = tsFiles(`services/${service}/src`)
    const repositories = files.filter((f) => f.includes('/src/repositories/'))
    t.ok(repositories.length > 0)
    t.same(repositories.filter((f) => !f.endsWith('-repository.ts') && basename(f) !== 'index.ts'), [], 'named *-repository.ts')
    t.same(files.filter((f) => f.endsWith('-repository.ts') && !f.includes('/src/repositories/')), [], 'none elsewhere')
  })

  t.test(`${service}: tests mirror src/ (every test folder is a src folder)`, async (t) => {
    const test = join(ROOT, 'services', service, 'test')
    const folders: string[] = []
    const walk = (dir: string, rel: string): void => {
      for (const name of readdirSync(dir)) {
        if (!statSync(join(dir, name)).isDirectory() || name === 'fixtures') continue
        folders.push(join(rel, name))
        walk(join(dir, name), join(rel, name))
      }
    }
    walk(test, '')
    t.ok(folders.length > 0, 'tests are in folders')
    t.same(folders.filter((f) => !existsSync(join(src, f))), [])
  })
}
