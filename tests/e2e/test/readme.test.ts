import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SERVICES, configTable } from '../config-table.js'

const root = (p: string): string => fileURLToPath(new URL(`../../../${p}`, import.meta.url))
const readme = readFileSync(root('README.md'), 'utf8')

t.test('the README documents every setting of every service with its real default', async (t) => {
  for (const [name, settings] of Object.entries(SERVICES)) {
    t.ok(readme.includes(`#### ${name}\n\n${configTable(settings)}\n`), `${name}'s table is current (regenerate with pnpm --filter @dreamseed/e2e run config-table)`)
  }
})

t.test('the README\'s two commands are the ones the project runs, and CI runs the test command', async (t) => {
  t.match(readme, /npm start {3}#/)
  t.match(readme, /npm test {4}#/)
  const pkg = JSON.parse(readFileSync(root('package.json'), 'utf8')) as { scripts: Record<string, string> }
  t.equal(pkg.scripts.start, 'bash scripts/start')
  t.equal(pkg.scripts.test, 'bash scripts/test')
  t.match(readFileSync(root('.ci/run'), 'utf8'), /^npm test$/m)
})
