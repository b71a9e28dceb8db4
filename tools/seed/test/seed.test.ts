import t from 'tap'
import { waitFor } from '@dreamseed/testing'
import { startServices } from './services.js'
import { CLASSROOM, PASSWORD, STUDENTS, TEACHER, seed } from '../src/seed.js'
import { AUTUMN, SPRING } from '../src/terms.js'

const post = async (url: string, body: unknown, token?: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) })
  return { status: res.status, body: await res.json() as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any
}

t.test('pnpm seed makes a school whose students took an adaptive exam in each of two terms, and a second run duplicates nothing', async (t) => {
  const services = await startServices(t)
  const first = await seed(services)
  t.ok(first.terms !== undefined, 'terms seeded')
  t.equal(first.accounts.length, 7, 'an admin, a teacher and five students')
  t.ok(first.accounts.every((a) => a.created), 'every account is new')
  t.ok(first.classroom.created && first.exam.created, 'a classroom and an exam')
  t.equal(first.items.imported, 200, 'a bank of 200 items')

  const roles = await services.sql`select email, role, email_verified_at is not null as verified, organization_id from auth.users order by email`
  t.same(roles.map((r) => [r.email, r.role, r.verified]), first.accounts.map((a) => [a.email, a.role, true]).sort(), 'each account verified, with the role it plays')
  t.equal(new Set(roles.map((r) => r.organization_id)).size, 1, 'all in one organization')
  const subjects = await services.sql`select subject, count(*)::int as n from exam.items group by subject order by subject`
  t.same(subjects.map((s) => [s.subject, s.n]), [['math', 100], ['reading', 100]], 'over two subjects')

  const signedIn = await post(`${services.authUrl}/auth/login`, { email: STUDENTS[0]!.email, password: PASSWORD })
  t.equal(signedIn.status, 200, 'a student signs in with the printed password')
  // The seed's students took the exams as students do; the autumn exam is done, so a new session is refused.
  const done = await services.sql`select count(*)::int as n from exam.sessions where status = 'completed' and completed_at is not null`
  t.equal(done[0]!.n, 10, 'every student completed two adaptive sessions through exam\'s API')
  const started = await post(`${services.examUrl}/exam/exams/${first.exam.id}/sessions`, {}, signedIn.body.accessToken)
  t.equal(started.body.error?.code, 'EXAM_ALREADY_COMPLETED', JSON.stringify(started.body).slice(0, 200))
  const teacher = await post(`${services.authUrl}/auth/login`, { email: TEACHER.email, password: PASSWORD })
  t.equal(teacher.body.user.role, 'teacher', 'the teacher signs in as a teacher')

  // Two terms, each student with a math session in both: the growth views have data.
  const get = async (path: string) => {
    const res = await fetch(`${services.analyticsUrl}${path}`, { headers: { authorization: `Bearer ${teacher.body.accessToken as string}` } })
    return { status: res.status, body: await res.json() as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  const terms = (await get('/analytics/terms')).body.terms as Array<{ id: string, name: string, endsAt: string, startsAt: string }>
  t.same(terms.map((x) => x.name), [AUTUMN, SPRING], 'two terms, autumn first')
  t.equal(terms[0]!.endsAt, terms[1]!.startsAt, 'spring starts where autumn ends')
  t.same(first.terms, { autumn: terms[0]!.id, spring: terms[1]!.id, sessions: 10 }, 'each of the five students once per term')
  const sam = first.accounts.find((a) => a.email === STUDENTS[0]!.email)!.id
  const growth = await waitFor(async () => {
    const res = await get(`/analytics/students/${sam}/growth?subject=math&from=${terms[0]!.id}&to=${terms[1]!.id}`)
    return res.status === 200 && res.body.growth !== null ? res.body : undefined
  }, { what: 'both terms\' sessions in analytics', timeoutMs: 30000 })
  t.type(growth.growth.theta, 'number', 'the growth route answers with a growth')
  t.ok(growth.growth.se > Math.max(growth.from.se, growth.to.se), 'its SE combines both terms\'')
  const ranks = await waitFor(async () => {
    const res = await get(`/analytics/classrooms/${first.classroom.id}/terms/${terms[1]!.id}?subject=math`)
    return res.status === 200 && res.body.groupSize === 5 ? res.body : undefined
  }, { what: 'the spring term\'s five scores', timeoutMs: 30000 })
  t.equal(ranks.ranked, true, 'five scores: ranked')

  const again = await seed(services)
  t.ok(again.accounts.every((a) => !a.created), 'no new account')
  t.same(again.accounts.map((a) => a.id), first.accounts.map((a) => a.id), 'the same accounts')
  t.same([again.classroom.created, again.classroom.id, again.exam.created, again.exam.id, again.items.imported], [false, first.classroom.id, false, first.exam.id, 0], 'the same classroom and exam, no import')
  t.same(again.terms, { ...first.terms, sessions: 0 }, 'the same terms, no session taken again')
  const counts = await services.sql`select (select count(*)::int from auth.users) as users, (select count(*)::int from auth.organizations) as organizations,
    (select count(*)::int from auth.classrooms where name = ${CLASSROOM}) as classrooms, (select count(*)::int from exam.items) as items, (select count(*)::int from exam.exams) as exams,
    (select count(*)::int from analytics.terms) as terms, (select count(*)::int from exam.sessions) as sessions`
  t.same(counts[0], { users: 7, organizations: 1, classrooms: 1, items: 200, exams: 2, terms: 2, sessions: 10 }, 'nothing twice in the databases')
})
