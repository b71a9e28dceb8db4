import t from 'tap'
import { execFileSync } from 'node:child_process'
import { dirname } from 'node:path'
import { ROOT, cycles, importsOf, tsFiles } from './source.js'

// The workspace's packages and services as git knows them: other suites build throwaway folders beside them
// (the image recipe's pnpm deploy output), which come and go while this runs.
const tracked = execFileSync('git', ['ls-files', '--', 'packages/*/package.json', 'services/*/package.json'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n').filter((line) => line !== '').map((file) => `${dirname(file)}/src`)
const packages = tracked.filter((dir) => dir.startsWith('packages/'))
const services = tracked.filter((dir) => dir.startsWith('services/'))

t.test('the cycle finder finds a cycle where there is one (its own check)', async (t) => {
  // The finder is run on a made-up graph through the same code path: a file list whose imports form a loop.
  const fixture = tsFiles('tests/structure/test/fixtures/cycle')
  t.equal(fixture.length, 3)
  t.same(cycles(fixture).map((c) => c.length), [3])
})

for (const dir of [...packages, ...services]) {
  t.test(`${dir}: no import cycle`, async (t) => {
    const files = tsFiles(dir)
    t.ok(files.length > 0, 'has source files')
    t.same(cycles(files), [])
  })
}

t.test('services depend on packages only: no service imports another service\'s source', async (t) => {
  const crossings: string[] = []
  for (const dir of services) {
    for (const file of tsFiles(dir)) {
      for (const i of importsOf(file)) {
        if (/^@dreamseed\/(auth|exam|analytics|notification)\b/.test(i.specifier) || /services\//.test(i.specifier)) crossings.push(`${file} → ${i.specifier}`)
      }
    }
  }
  t.same(crossings, [])
})
