// Issue 19 end to end on one process per service: a school signs up through auth (mail on a real SMTP server),
// its teacher imports a bank of every item type with passages and enemies into exam, students take an adaptive
// exam over it, and analytics shows the sessions (packages/testing's mixed exam; the cluster runs the same).
import t from 'tap'
import { buildSchool, call, checkMixedInAnalytics, checkMixedRun, runMixedExam, type PlatformClient } from '@dreamseed/testing'
import { startExamAndAnalytics, startPlatform } from './helper.js'

t.test('a mixed adaptive exam with passages, enemies and every item type, across auth, exam and analytics', async (t) => {
  const platform = await startPlatform(t, { env: { VERIFICATION_RESEND_INTERVAL_S: '0' } })
  const { examUrl, analyticsUrl } = await startExamAndAnalytics(t, platform)
  const urls = { auth: platform.authUrl, notification: '', exam: examUrl, analytics: analyticsUrl }
  const client: PlatformClient = { url: (s) => urls[s], sql: platform.sql, smtp: platform.smtp }
  const school = await buildSchool(client, { students: 3, exams: 0 })
  const run = await runMixedExam(client, school)
  checkMixedRun(t, run)

  await checkMixedInAnalytics(t, urls.analytics, school, run)
  const progress = (await call(urls.analytics, 'GET', `/analytics/students/${school.students[0]!.id}`, school.students[0]!.token)).body!
  t.equal(progress.itemsAnswered, run.sessions[0]!.given.length, 'the student\'s progress counts every answer')
})
