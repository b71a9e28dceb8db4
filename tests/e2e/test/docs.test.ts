// The documents say what the code does: each service's README carries the settings table its declarations
// produce, and the README's two commands are the ones the project and CI run.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { SERVICES, fromRoot, serviceReadme, tableBlock, tableSpan } from '../config-table.js'

const read = (path: string): string => readFileSync(fromRoot(path), 'utf8')

t.test('each service\'s README documents every setting of the service with its real default', async (t) => {
  for (const [name, settings] of Object.entries(SERVICES)) {
    const readme = read(serviceReadme(name))
    const span = tableSpan(readme)
    if ('problem' in span) { t.fail(`${serviceReadme(name)}: ${span.problem}`); continue }
    t.equal(readme.slice(span.start, span.end), tableBlock(settings), `${name}'s table is current (regenerate with pnpm --filter @dreamseed/e2e run config-table)`)
  }
})

t.test('the README\'s two commands are the ones the project runs, and CI runs the test command', async (t) => {
  const readme = read('README.md')
  t.match(readme, /npm start {3}#/)
  t.match(readme, /npm test {4}#/)
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
  t.equal(pkg.scripts.start, 'bash scripts/start')
  t.equal(pkg.scripts.test, 'bash scripts/test')
  t.match(read('.ci/run'), /^npm test$/m)
})
