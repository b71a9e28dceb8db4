// `FAULTS_FULL=1 npm test` must do what it says. turbo hands a task only the variables turbo.json names for it
// (strict mode), so a setting a suite reads and turbo.json leaves out is dropped without a word and the suite
// runs its default. Every variable read in the tests, their shared support and the bench they run is named here.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
import { ROOT } from './helper.js'

/** Where the code the test tasks run lives: the suites, the shared test support, and the bench its test starts. */
const SCANNED = ['tests', 'bench', 'packages/testing/src', ...['packages', 'services', 'tools'].flatMap((dir) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${dir}/${d.name}/test`))]

/** What turbo passes to every task without being asked. */
const ALWAYS_PASSED = ['PATH', 'HOME']

const READ = /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g

function sourceFiles (dir: string): string[] {
  let entries
  try { entries = readdirSync(dir, { withFileTypes: true }) } catch { return [] }
  return entries.flatMap((e) => {
    if (e.isDirectory()) return ['node_modules', 'dist', '.tap'].includes(e.name) ? [] : sourceFiles(join(dir, e.name))
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : []
  })
}

/** Variable name to the files that read it (comments aside: a doc line may name process.env.SOMETHING). */
function variablesRead (): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const file of SCANNED.flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/^\s*(\/\/|\/?\*)/.test(line)) continue
      for (const m of line.matchAll(READ)) {
        const name = (m[1] ?? m[2])!
        const files = found.get(name) ?? []
        if (!files.includes(relative(ROOT, file))) files.push(relative(ROOT, file))
        found.set(name, files)
      }
    }
  }
  return found
}

interface TurboTask { env?: string[], passThroughEnv?: string[] }
interface TurboJson { globalEnv?: string[], globalPassThroughEnv?: string[], tasks: Record<string, TurboTask> }

/** turbo's patterns: a name, or a prefix ending in `*`. */
const matches = (pattern: string, name: string): boolean => pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name

t.test('turbo.json passes the test task every variable the suites read', async (t) => {
  const turbo = JSON.parse(readFileSync(join(ROOT, 'turbo.json'), 'utf8')) as TurboJson
  const task = turbo.tasks.test
  if (task === undefined) { t.fail('turbo.json has no test task'); return }
  const passed = [...ALWAYS_PASSED, ...(turbo.globalEnv ?? []), ...(turbo.globalPassThroughEnv ?? []), ...(task.env ?? []), ...(task.passThroughEnv ?? [])]
  const read = variablesRead()
  // The scan itself: it sees the settings the README documents, or the check below would pass on nothing.
  for (const known of ['FAULTS_FULL', 'FUZZ_STRICT', 'FUZZ_RUNS', 'LOAD_FULL', 'TEST_CLUSTER_FULL']) t.ok(read.has(known), `${known} is found among the variables read`)
  const dropped = [...read].filter(([name]) => !passed.some((p) => matches(p, name))).map(([name, files]) => `${name} (read in ${files.join(', ')})`)
  t.same(dropped, [], 'every variable read is passed to the test task')
})
