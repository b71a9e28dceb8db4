// docs/proctors-day.md runs as written: its sh blocks, in order, as one bash script against a freshly seeded
// school, and every line of its text blocks (… standing for anything) printed by the script in that order.
import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { waitFor } from '@dreamseed/testing'
import { seed } from '../src/seed.js'
import { startServices } from './services.js'

const DOC = new URL('../../../docs/proctors-day.md', import.meta.url)

/** The page's fenced blocks of one language, in order. */
export function blocks (markdown: string, language: string): string[] {
  const found: string[] = []
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm')
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) found.push(m[1]!)
  return found
}

/** A shown output line as a pattern: literal, with … for anything. */
function pattern (line: string): RegExp {
  return new RegExp('^' + line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$')
}

t.test('the proctor\'s day in docs/ runs as written against a seeded school and prints what the page shows', async (t) => {
  // Analytics as `npm start` runs it: the page shows what a reader of it sees.
  const services = await startServices(t, {})
  await seed(services)
  const markdown = await readFile(DOC, 'utf8')
  const script = blocks(markdown, 'sh')
  t.ok(script.length >= 8, `the page's ${script.length} sh blocks`)
  // A reader sets a profile long before a student starts; the script does it a moment before, so after the block
  // that sets it the script waits (a line the test adds, not on the page) until exam has applied the event.
  const sync = createServer((_req, res) => {
    waitFor(async () => (await services.sql`select count(*)::int as n from exam.accommodations`)[0]!.n > 0 || undefined, { what: 'the profile in exam', timeoutMs: 30_000 })
      .then(() => res.writeHead(204).end(), () => res.writeHead(504).end())
  })
  await new Promise<void>((resolve) => sync.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { sync.close() })
  const syncLine = `curl -sf http://127.0.0.1:${(sync.address() as { port: number }).port}/ -o /dev/null`
  const steps = script.flatMap((block) => block.includes('/accommodations') ? [block, syncLine] : [block])
  t.equal(steps.length, script.length + 1, 'one block sets the profile')
  const dir = await mkdtemp(join(tmpdir(), 'proctors-day-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const run = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script.join('\n')], {
    cwd: dir,
    env: { ...process.env, AUTH: services.authUrl, EXAM: services.examUrl, ANALYTICS: services.analyticsUrl },
    timeout: 120_000
  }).catch((err: { stdout?: string, stderr?: string, code?: number }) => {
    throw new Error(`the walk stopped (exit ${err.code}): ${err.stderr ?? ''}\n--- printed so far:\n${err.stdout ?? ''}`)
  })
  const printed = run.stdout.split('\n')
  t.comment(run.stdout)

  const shown = blocks(markdown, 'text').flatMap((b) => b.split('\n')).filter((l) => l !== '' && l !== '…')
  t.ok(shown.length >= 10, `${shown.length} lines shown on the page`)
  let at = 0
  for (const line of shown) {
    const found = printed.findIndex((p, i) => i >= at && pattern(line).test(p))
    t.ok(found >= 0, `printed, in the page's order: ${line}`)
    if (found >= 0) at = found + 1
  }

  // What the page says happened, read from the databases behind it.
  const [quiz] = await services.sql`select id from exam.exams where title = 'Morning quiz (demo)'`
  const sessions = await services.sql`select status, extended_s, voided_at is not null as voided, stop_reason, paused_ms > 0 as stood_still from exam.sessions where exam_id = ${quiz!.id} order by started_at, id`
  t.equal(sessions.length, 4, 'four sessions of the quiz')
  t.same(sessions.map((s) => s.stood_still).filter(Boolean).length, 4, 'every clock stood still during the drill')
  t.same(sessions.map((s) => [s.status, s.extended_s, s.voided]).sort(), [['completed', 0, false], ['completed', 0, false], ['completed', 0, true], ['completed', 600, false]], 'one extended, one voided, all ended')
  t.same(sessions.map((s) => s.stop_reason).sort(), ['proctor', 'proctor', 'proctor', 'proctor'], 'every one by the proctor')
  const audit = await services.sql`select action, count(*)::int as n from exam.proctor_actions group by action order by action`
  t.same(audit.map((a) => [a.action, a.n]), [['end', 3], ['extend', 1], ['pause', 4], ['resume', 4], ['void', 1]], 'each proctor action audited once; the refused ones not at all')
  const charts = await Promise.all(['growth.svg', 'spring.svg'].map(async (f) => await readFile(join(dir, f), 'utf8')))
  t.ok(charts.every((c) => c.startsWith('<svg') && c.includes('Scale score')), 'both charts drawn on the scale')
})
