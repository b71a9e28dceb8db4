// Issue 19 end to end on one process per service: a school signs up through auth (mail on a real SMTP server),
// its teacher imports a bank of every item type with passages and enemies into exam, students take an adaptive
// exam over it, and analytics shows the sessions (packages/testing's mixed exam; the cluster runs the same).
import t from 'tap'
import { buildApp as buildExam, loadExamConfig } from '@dreamseed/exam'
import { buildApp as buildAnalytics, loadAnalyticsConfig } from '@dreamseed/analytics'
import { buildSchool, call, checkMixedRun, runMixedExam, waitFor, type PlatformClient } from '@dreamseed/testing'
import { startPlatform } from './helper.js'

t.test('a mixed adaptive exam with passages, enemies and every item type, across auth, exam and analytics', async (t) => {
  const platform = await startPlatform(t, { env: { VERIFICATION_RESEND_INTERVAL_S: '0' } })
  const env = { ...platform.env, AUTH_JWKS_URL: `${platform.authUrl}/.well-known/jwks.json` }
  const started = async (app: Awaited<ReturnType<typeof buildExam>> | Awaited<ReturnType<typeof buildAnalytics>>) => {
    await app.listen({ host: '127.0.0.1', port: 0 })
    t.teardown(() => app.close())
    return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  }
  const urls = { auth: platform.authUrl, notification: '', exam: await started(await buildExam(loadExamConfig(env))), analytics: await started(await buildAnalytics(loadAnalyticsConfig(env))) }
  const client: PlatformClient = { url: (s) => urls[s], sql: platform.sql, smtp: platform.smtp }
  const school = await buildSchool(client, { students: 3, exams: 0 })
  const run = await runMixedExam(client, school)
  checkMixedRun(t, run)

  const summary = await waitFor(async () => {
    const res = await call(urls.analytics, 'GET', `/analytics/exams/${run.examId}`, school.teacher)
    return res.status === 200 && res.body!.completions === run.sessions.length ? res.body! : undefined
  }, { what: 'every session in analytics\' exam summary', timeoutMs: 30000 })
  t.equal(summary.title, 'Reading, every type')
  const progress = (await call(urls.analytics, 'GET', `/analytics/students/${school.students[0]!.id}`, school.students[0]!.token)).body!
  t.equal(progress.itemsAnswered, run.sessions[0]!.given.length, 'the student\'s progress counts every answer')
})
