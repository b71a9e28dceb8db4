// The closing lines of `npm test` (scripts/test-summary.mjs): CI shows only the tail of the log, so a failed
// test must be named there with what it found, and a run with a failure, a skip or a missing package never
// counts as passed.
import t from 'tap'
// @ts-expect-error: a plain ES module script without types
import { summarize } from '../../../scripts/test-summary.mjs'

const lines = (pkg: string, body: string): string => body.trim().split('\n').map((l) => `${pkg}:test: ${l}`).join('\n')

const failing = lines('@dreamseed/analytics', `
# Subtest: test/x.test.ts
    not ok 1 - counts match
      ---
      found: 3
      wanted: 4
      ...
    ok 2 - other
not ok 1 - test/x.test.ts
# { total: 2, pass: 1, fail: 1 }`)

t.test('a failure is named in the closing lines with what it found', async (t) => {
  const result = summarize(failing, ['@dreamseed/analytics'])
  t.equal(result.ok, false)
  t.equal(result.line, 'tests: 1 passed, 1 failed, 0 skipped, 0 todo')
  t.same(result.problems, [
    '✗ failed: @dreamseed/analytics: not ok 1 - counts match',
    '✗ failed: @dreamseed/analytics:     found: 3',
    '✗ failed: @dreamseed/analytics:     wanted: 4',
    '✗ failed: @dreamseed/analytics: not ok 1 - test/x.test.ts'
  ])
})

t.test('a green run, a skip and a package that printed nothing', async (t) => {
  const green = lines('@dreamseed/kit', 'ok 1 - a\n# { total: 1, pass: 1 }')
  t.same(summarize(green, ['@dreamseed/kit']), { ok: true, line: 'tests: 1 passed, 0 failed, 0 skipped, 0 todo', problems: [], packages: 1 })
  const skipped = lines('@dreamseed/kit', 'ok 1 - a # SKIP not here\n# { total: 1, pass: 0, skip: 1 }')
  t.same(summarize(skipped, ['@dreamseed/kit']).problems, ['✗ skipped or todo: @dreamseed/kit: ok 1 - a # SKIP not here'])
  const missing = summarize(green, ['@dreamseed/kit', '@dreamseed/exam'])
  t.equal(missing.ok, false)
  t.same(missing.problems, ['✗ @dreamseed/exam: no tap summary (its tests did not run, or did not finish)'])
})
