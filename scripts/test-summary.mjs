// The closing line of `npm test`, from the turbo log of every package's tap run: tap's own counts of test
// points (each assertion and each test without children), read from the summary object tap prints last in
// every package ("# { total: 319, pass: 315, todo: 2, skip: 2 }", whatever the reporter). A package that
// should have run and printed no summary, a failure, a skipped test and a todo each fail the run: each is
// a test that did not pass, and none of them may hide in a green run.
// Usage: node scripts/test-summary.mjs <turbo log> [package ...]; the packages that must have printed a summary
// default to every workspace package with a test script. Exits 1 when the run does not count as passed.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import process from 'node:process'
import console from 'node:console'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')

/** Every workspace package with a test script, by name (pnpm-workspace.yaml's entries are "dir" or "dir/*"). */
function packagesWithTests () {
  const entries = [...readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^\s*-\s*["']?([^"'\s]+)["']?\s*$/gm)].map((m) => m[1])
  const dirs = entries.flatMap((entry) => entry.endsWith('/*')
    ? readdirSync(join(root, entry.slice(0, -2)), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(entry.slice(0, -2), d.name))
    : [entry])
  return dirs.map((dir) => join(root, dir, 'package.json')).filter(existsSync)
    .map((file) => JSON.parse(readFileSync(file, 'utf8')))
    .filter((pkg) => typeof pkg.scripts?.test === 'string')
    .map((pkg) => pkg.name)
}

/** "{ total: 7, pass: 3, todo: 2, skip: 2 }" as numbers; tap leaves out the counts that are zero. */
function parseCounts (text) {
  const counts = { total: 0, pass: 0, fail: 0, skip: 0, todo: 0 }
  for (const [, key, value] of text.matchAll(/(\w+): (\d+)/g)) counts[key] = Number(value)
  return counts
}

/** Lines of a failed point's YAML block kept, and failure lines printed in all (the rest stay in the log). */
const DIAGNOSTIC_LINES = 12
const DIAGNOSTIC_WIDTH = 160
const MAX_FAILED_LINES = 60

export function summarize (log, expected) {
  const byPackage = new Map()
  const skipped = []
  const failed = []
  // The lines of the YAML block that follows a failed test point (what was wanted and found, where), kept
  // with it: CI shows only the tail of the log, so the closing lines must say which test failed and how.
  let diagnostics = 0
  for (const line of log.split('\n')) {
    const m = /^(\S+?):test: (.*)$/.exec(line)
    if (m === null) continue
    const [, name, rest] = m
    const summary = /^# (\{ total: \d+.*\})\s*$/.exec(rest)
    if (summary !== null) byPackage.set(name, parseCounts(summary[1]))
    // Which tests they were: tap's directives on the test point's line, at any depth.
    else if (/^\s*(not )?ok \d+ .* # (SKIP|TODO)\b/.test(rest)) skipped.push(`${name}: ${rest.trim()}`)
    else if (/^\s*not ok \d+/.test(rest)) {
      failed.push(`${name}: ${rest.trim()}`)
      diagnostics = DIAGNOSTIC_LINES
    } else if (diagnostics > 0 && /^\s*(---|\.\.\.)?\s*$/.test(rest) === false && /^\s+\S/.test(rest)) {
      // A long value (a whole mail) would fill the lines kept: each is cut, and the kept lines go to the keys.
      const text = rest.trim()
      failed.push(`${name}:     ${text.length > DIAGNOSTIC_WIDTH ? `${text.slice(0, DIAGNOSTIC_WIDTH)}…` : text}`)
      diagnostics--
    } else if (/^\s*\.\.\.\s*$/.test(rest)) diagnostics = 0
  }
  const totals = { pass: 0, fail: 0, skip: 0, todo: 0 }
  for (const c of byPackage.values()) {
    totals.pass += c.pass
    totals.skip += c.skip
    totals.todo += c.todo
    // Whatever is neither passed, skipped nor todo failed (tap prints fail too; the difference also catches
    // a count it might add).
    totals.fail += Math.max(c.fail, c.total - c.pass - c.skip - c.todo)
  }
  const missing = expected.filter((name) => !byPackage.has(name))
  const problems = [
    ...failed.slice(0, MAX_FAILED_LINES).map((line) => `✗ failed: ${line}`),
    ...(failed.length > MAX_FAILED_LINES ? [`✗ failed: … ${failed.length - MAX_FAILED_LINES} more lines in the log above`] : []),
    ...missing.map((name) => `✗ ${name}: no tap summary (its tests did not run, or did not finish)`),
    ...skipped.map((line) => `✗ skipped or todo: ${line}`)
  ]
  const ok = missing.length === 0 && totals.fail === 0 && totals.skip === 0 && totals.todo === 0
  const line = `tests: ${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped, ${totals.todo} todo`
  return { ok, line, problems, packages: byPackage.size }
}

if (process.argv[1] === import.meta.filename) {
  const { ok, line, problems } = summarize(readFileSync(process.argv[2], 'utf8'), process.argv.length > 3 ? process.argv.slice(3) : packagesWithTests())
  for (const p of problems) console.log(p)
  console.log(line)
  process.exitCode = ok ? 0 : 1
}
