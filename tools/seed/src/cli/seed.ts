// `pnpm seed`: a demo school in the local services started by `pnpm dev` (or `npm start`). Reads AUTH_URL
// (default http://127.0.0.1:3001), EXAM_URL (http://127.0.0.1:3002) and ANALYTICS_URL (http://127.0.0.1:3003); the first admin comes from auth's
// admin:create, which reads DATABASE_URL and REDIS_URL (the local defaults unless set). Safe to run again.
import { adminCreateCommand } from '../admin-command.js'
import { ADMIN, PASSWORD, seed, type SeedResult } from '../seed.js'

const authUrl = process.env.AUTH_URL ?? 'http://127.0.0.1:3001'
const examUrl = process.env.EXAM_URL ?? 'http://127.0.0.1:3002'
const analyticsUrl = process.env.ANALYTICS_URL ?? 'http://127.0.0.1:3003'

function summary (r: SeedResult): string {
  const pad = (s: string) => s.padEnd(34)
  return [
    '',
    `Demo school ready (organization ${r.organizationId}). Every account's password: ${PASSWORD}`,
    '',
    ...r.accounts.map((a) => `  ${a.role.padEnd(8)} ${pad(a.email)} ${a.name}`),
    '',
    `  classroom  "${r.classroom.name}"  ${r.classroom.id}  join code ${r.classroom.joinCode}`,
    `  exam       "${r.exam.title}"  ${r.exam.id}  (adaptive, math; assigned to the classroom)`,
    ...(r.terms === undefined ? [] : [`  terms      autumn ${r.terms.autumn}, spring ${r.terms.spring}: each student has a math score in both`,
      `  growth     curl "${analyticsUrl}/analytics/students/<student id>/growth?subject=math&from=${r.terms.autumn}&to=${r.terms.spring}" -H "authorization: Bearer $TEACHER"`]),
    '',
    'Sign in and take the exam as a student:',
    `  curl -s -X POST ${authUrl}/auth/login -H 'content-type: application/json' -d '{"email":"${r.accounts.find((a) => a.role === 'student')?.email ?? ''}","password":"${PASSWORD}"}'`,
    `  curl -s -X POST ${examUrl}/exam/exams/${r.exam.id}/sessions -H "authorization: Bearer $TOKEN"`,
    `Teacher and admin: ${r.accounts.find((a) => a.role === 'teacher')?.email ?? ''}, ${ADMIN.email}`,
    'API docs on each service\'s ops port (OPS_PORT; pnpm dev: auth http://127.0.0.1:9001/docs, exam :9002, analytics :9003)',
    ''
  ].join('\n')
}

try {
  const result = await seed({ authUrl, examUrl, analyticsUrl, createAdmin: adminCreateCommand(), log: (line) => console.log(`› ${line}`) })
  console.log(summary(result))
} catch (err) {
  const cause = (err as { cause?: { code?: string } }).cause
  if (cause?.code === 'ECONNREFUSED') console.error(`seed: a service does not answer (${(err as Error).message}); start them first with \`pnpm dev\``)
  else console.error(`seed: ${(err as Error).message}`)
  process.exitCode = 1
}
