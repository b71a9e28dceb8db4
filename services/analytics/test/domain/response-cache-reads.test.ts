// What a cached read costs Redis and what it sends (issue 17): one command whose script reads the version and
// the answer, and the very bytes the miss sent. Redis is watched with MONITOR, which reports every command it
// runs, those a script runs among them (source "lua"); markers sent on the app's own connection bound what
// one request did, since Redis reports a connection's commands in the order it ran them.
// MONITOR is read from a plain socket, not ioredis's monitor(): Redis streams other clients' commands right
// behind its "+OK", and ioredis takes a line that arrives in the same read as the OK for a reply nobody asked
// for ("Command queue state error"), which CI met on the shared Redis while other packages' tests ran.
import { connect } from 'node:net'
import t from 'tap'
import { waitFor } from '@dreamseed/testing'
import { buildAnalytics, id, school, sessionEvents, type AnalyticsContext } from '../helper.js'

interface Seen { args: string[], source: string }

const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' }

/** One MONITOR line (`+<time> [<db> <source>] "arg" "arg" …`, arguments quoted as Redis's sdscatrepr does), read in one pass. */
function parseMonitorLine (line: string): Seen | undefined {
  const head = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] /.exec(line)
  if (head === null) return undefined
  const args: string[] = []
  let i = head[0].length
  while (i < line.length) {
    if (line[i] !== '"') { i++; continue }
    let arg = ''
    for (i++; i < line.length && line[i] !== '"'; i++) {
      if (line[i] !== '\\') { arg += line[i]; continue }
      const c = line[++i]!
      if (c === 'x') { arg += String.fromCharCode(Number.parseInt(line.slice(i + 1, i + 3), 16)); i += 2 } else arg += escapes[c] ?? c
    }
    i++
    args.push(arg)
  }
  return { args, source: head[1]! }
}

/** A MONITOR connection to the app's Redis; `seen` grows as Redis reports commands. */
async function monitorRedis (ctx: AnalyticsContext): Promise<{ seen: Seen[], close: () => void }> {
  const { host, port } = ctx.app.redis.options
  const socket = connect({ host: host ?? '127.0.0.1', port: port ?? 6379 })
  const seen: Seen[] = []
  let pending = ''
  let ok: () => void
  const started = new Promise<void>((resolve, reject) => { ok = resolve; socket.once('error', reject) })
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\r\n')
    pending = lines.pop()!
    for (const line of lines) {
      if (line === '+OK') ok()
      else { const s = parseMonitorLine(line); if (s !== undefined) seen.push(s) }
    }
  })
  socket.write('MONITOR\r\n')
  await started
  return { seen, close: () => socket.destroy() }
}

/** The commands touching this test's cache keys that Redis ran while `action` ran. */
async function cacheCommands (ctx: AnalyticsContext, action: () => Promise<unknown>): Promise<Seen[]> {
  const monitor = await monitorRedis(ctx)
  try {
    const { seen } = monitor
    const marker = (n: string): string => `${ctx.prefix}:marker:${n}:${id()}`
    const [start, end] = [marker('start'), marker('end')]
    await ctx.app.redis.exists(start)
    await action()
    await ctx.app.redis.exists(end)
    await waitFor(() => seen.some((s) => s.args.includes(end)), { what: 'MONITOR reported the end marker' })
    const from = seen.findIndex((s) => s.args.includes(start))
    const to = seen.findIndex((s) => s.args.includes(end))
    if (from === -1 || from > to) throw new Error('MONITOR lost the start marker')
    const cacheKey = new RegExp(`^${ctx.prefix}:analytics:[vc]:`)
    return seen.slice(from + 1, to).filter((s) => s.args.some((a) => cacheKey.test(a)))
  } finally {
    monitor.close()
  }
}

t.test('a MONITOR line is read back into its source and arguments, escapes included', async (t) => {
  t.same(parseMonitorLine('+1796570399.877606 [0 127.0.0.1:47852] "evalsha" "b8a1" "1" "k:{x}"'), { source: '127.0.0.1:47852', args: ['evalsha', 'b8a1', '1', 'k:{x}'] })
  t.same(parseMonitorLine('+1796570399.877624 [0 lua] "GET" "a\\"b" "c\\\\d" "\\x00\\xff" "l\\r\\n"'), { source: 'lua', args: ['GET', 'a"b', 'c\\d', '\x00\xff', 'l\r\n'] })
  t.same(parseMonitorLine('+1.5 [0 lua] ""'), { source: 'lua', args: [''] })
  t.equal(parseMonitorLine('-ERR nope'), undefined)
})

async function hits (ctx: AnalyticsContext, route: string): Promise<number> {
  const metric = await ctx.app.metrics.registry.getSingleMetric('analytics_cache_hits_total')!.get()
  return metric.values.filter((v) => v.labels.route === route).reduce((n, v) => n + v.value, 0)
}

async function schoolWithASession (ctx: AnalyticsContext) {
  const s = await school(ctx, 1)
  const examId = id()
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, examId, theta: 0.75, answers: [[id(), true], [id(), false]] }))
  await ctx.settled()
  return { ...s, examId }
}

t.test('a cached answer costs one Redis command, whose script reads the version and the answer stored under it', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await schoolWithASession(ctx)
  const url = `/analytics/classrooms/${s.classroomId}`
  const missed = await cacheCommands(ctx, async () => { t.equal((await ctx.get(url, s.teacher.headers)).statusCode, 200) })
  const sent = missed.filter((c) => c.source !== 'lua').map((c) => c.args[0]!.toLowerCase())
  // ioredis sends a script's text (EVAL) the first time on a connection, its digest (EVALSHA) after that.
  t.same(sent, ['eval', 'set'], 'a miss: the read, then the write under the version it read')
  const stored = missed.find((c) => c.args[0]!.toLowerCase() === 'set')!.args[1]

  const before = await hits(ctx, 'classroom-summary')
  const hit = await cacheCommands(ctx, async () => { t.equal((await ctx.get(url, s.teacher.headers)).statusCode, 200) })
  t.equal(await hits(ctx, 'classroom-summary'), before + 1, 'the second read was a hit')
  const fromClient = hit.filter((c) => c.source !== 'lua')
  t.equal(fromClient.length, 1, 'one command from analytics')
  t.equal(fromClient[0]!.args[0]!.toLowerCase(), 'evalsha', 'the script, by its digest')
  const inScript = hit.filter((c) => c.source === 'lua').map((c) => [c.args[0]!.toLowerCase(), c.args[1]])
  t.same(inScript, [['get', `${ctx.prefix}:analytics:v:{${s.organizationId}}`], ['get', stored]], 'inside it: the version, then the entry the miss stored under it')
})

t.test('a hit sends the bytes the miss that stored it sent', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await schoolWithASession(ctx)
  for (const [route, url, headers] of [
    ['classroom-summary', `/analytics/classrooms/${s.classroomId}`, s.teacher.headers],
    ['classroom-students', `/analytics/classrooms/${s.classroomId}/students?limit=5`, s.teacher.headers],
    ['exam-summary', `/analytics/exams/${s.examId}`, s.admin.headers],
    ['student-progress', `/analytics/students/${s.student.userId}`, s.student.headers],
    ['student-progress', `/analytics/students/${s.student.userId}?days=7`, s.teacher.headers]
  ] as const) {
    const miss = await ctx.get(url, headers)
    const before = await hits(ctx, route)
    const hit = await ctx.get(url, headers)
    t.equal(await hits(ctx, route), before + 1, `${url}: the second read was a hit`)
    t.equal(hit.statusCode, 200)
    t.equal(hit.headers['content-type'], 'application/json; charset=utf-8')
    t.equal(hit.headers['content-type'], miss.headers['content-type'])
    t.equal(hit.body, miss.body, `${url}: byte-identical`)
  }
  const progress = (await ctx.get(`/analytics/students/${s.student.userId}`, s.student.headers)).json()
  t.equal(progress.subjects[0].theta, 0.75, 'and the body is the report')
  t.equal(progress.itemsAnswered, 2)
})

t.test('a hit is checked against the access facts kept beside the body', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await schoolWithASession(ctx)
  const url = `/analytics/classrooms/${s.classroomId}`
  t.equal((await ctx.get(url, s.admin.headers)).statusCode, 200)
  const otherTeacher = await ctx.as('teacher', s.organizationId)
  const before = await hits(ctx, 'classroom-summary')
  const refused = await ctx.get(url, otherTeacher.headers)
  t.equal(await hits(ctx, 'classroom-summary'), before + 1, 'answered from the cache')
  t.equal(refused.statusCode, 403)
  t.equal(refused.json().error.code, 'ANALYTICS_NOT_YOUR_CLASSROOM')

  const colleague = await ctx.as('teacher', s.organizationId)
  t.equal((await ctx.get(`/analytics/students/${s.student.userId}`, s.teacher.headers)).statusCode, 200)
  const notTheirs = await ctx.get(`/analytics/students/${s.student.userId}`, colleague.headers)
  t.equal(notTheirs.statusCode, 403)
  t.equal(notTheirs.json().error.code, 'ANALYTICS_NOT_YOUR_STUDENT')
})

t.test('an organization whose version Redis lost gets a new one from the read, and the old answers are not read again', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await schoolWithASession(ctx)
  const url = `/analytics/classrooms/${s.classroomId}`
  const versionKey = `${ctx.prefix}:analytics:v:{${s.organizationId}}`
  const misses = async (): Promise<number> => {
    const metric = await ctx.app.metrics.registry.getSingleMetric('analytics_cache_misses_total')!.get()
    return metric.values.filter((v) => v.labels.route === 'classroom-summary' && v.labels.reason === 'absent').reduce((n, v) => n + v.value, 0)
  }
  const first = await ctx.get(url, s.teacher.headers)
  const old = await ctx.app.redis.get(versionKey)
  t.ok(old !== null)
  await ctx.app.redis.del(versionKey)
  const missesBefore = await misses()
  const again = await ctx.get(url, s.teacher.headers)
  t.equal(await misses(), missesBefore + 1, 'the entry under the lost version is not read')
  t.equal(again.body, first.body)
  const renewed = await ctx.app.redis.get(versionKey)
  t.ok(renewed !== null && renewed !== old, 'the read gave the organization a new version')
  t.ok(await ctx.app.redis.ttl(versionKey) > 0, 'which expires')
  const hitsBefore = await hits(ctx, 'classroom-summary')
  t.equal((await ctx.get(url, s.teacher.headers)).body, first.body)
  t.equal(await hits(ctx, 'classroom-summary'), hitsBefore + 1, 'and the answer stored under it is read next')
})
