import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { verify } from '@node-rs/argon2'
import { createAdmin, type CreateAdminInput } from '../../src/domain/create-admin.js'
import { buildAuth, createOrganization, createVerifiedUser, login } from '../helper.js'
import { api, eventsOf, member, type Ctx } from '../organization-fixtures.js'

const run = promisify(execFile)
const input = (overrides: Partial<CreateAdminInput> = {}): CreateAdminInput => ({ email: 'Ada@Springfield.example', password: 'correct horse battery', displayName: 'Ada', organization: 'Springfield High', ...overrides })
const create = async (ctx: Ctx, i: CreateAdminInput) => await createAdmin(ctx.app.authDeps, i)

t.test('the command creates the organization and a verified admin in it, audited, and can be run again', async (t) => {
  const ctx = await buildAuth(t)
  const first = await create(ctx, input())
  t.match(first, { organizationCreated: true, userCreated: true, promoted: false, passwordSet: true })
  const [user] = await ctx.sql`select email, role, organization_id, email_verified_at, password_hash, display_name from auth.users where id = ${first.userId}`
  t.match({ ...user }, { email: 'ada@springfield.example', role: 'admin', organization_id: first.organizationId, email_verified_at: Date, display_name: 'Ada' })
  t.ok(await verify(user?.password_hash as string, 'correct horse battery'), 'argon2id hash of the given password')
  const [org] = await ctx.sql`select name, created_by from auth.organizations where id = ${first.organizationId}`
  t.same({ ...org }, { name: 'Springfield High', created_by: null })
  t.match(await eventsOf(ctx, 'organization.created'), [{ organizationId: first.organizationId, name: 'Springfield High', createdBy: null }])
  t.same(await eventsOf(ctx, 'organization.member.added'), [{ organizationId: first.organizationId, userId: first.userId, role: 'admin', source: 'command', addedBy: null }])
  t.same(await eventsOf(ctx, 'user.created'), [], 'no user.created: it would mail a verification link')
  const [audit] = await ctx.sql`select actor_id, subject_user_id, organization_id, details from auth.audit_log where action = 'admin.create'`
  t.match({ ...audit }, { actor_id: null, subject_user_id: first.userId, organization_id: first.organizationId, details: { source: 'command', organizationCreated: true, userCreated: true } })

  const admin = await login(ctx, { email: 'ada@springfield.example', password: 'correct horse battery' })
  t.equal((await api(ctx, 'GET', `/auth/organizations/${first.organizationId}/users`, admin.auth)).status, 200, 'the new admin signs in and manages the organization')

  const second = await create(ctx, input({ password: 'another password' }))
  t.same(second, { ...first, organizationCreated: false, userCreated: false, promoted: false, passwordSet: false })
  t.equal((await ctx.sql`select count(*)::int as n from auth.organizations`)[0]?.n, 1)
  t.equal((await ctx.sql`select count(*)::int as n from auth.users`)[0]?.n, 1)
  t.equal((await ctx.sql`select count(*)::int as n from auth.outbox where type like 'organization.%'`)[0]?.n, 2, 'no second event')
  t.ok(await verify((await ctx.sql`select password_hash from auth.users`)[0]?.password_hash as string, 'correct horse battery'), 'the password is not replaced')
  t.equal((await ctx.sql`select count(*)::int as n from auth.audit_log where action = 'admin.create'`)[0]?.n, 2, 'every run is audited')
})

t.test('two runs at once create one organization', async (t) => {
  const ctx = await buildAuth(t)
  const results = await Promise.all([create(ctx, input()), create(ctx, input())])
  t.equal(results[0].organizationId, results[1].organizationId)
  t.equal((await ctx.sql`select count(*)::int as n from auth.organizations`)[0]?.n, 1)
})

t.test('an existing verified account is promoted, keeps its password, and its old tokens are refused', async (t) => {
  const ctx = await buildAuth(t)
  const organizationId = await createOrganization(ctx, 'Springfield High')
  const teacher = await member(ctx, 'teacher', organizationId)
  const result = await create(ctx, input({ email: teacher.email, password: 'not their password' }))
  t.match(result, { userId: teacher.id, organizationId, organizationCreated: false, userCreated: false, promoted: true, passwordSet: false })
  t.equal((await ctx.sql`select role from auth.users where id = ${teacher.id}`)[0]?.role, 'admin')
  t.match(await eventsOf(ctx, 'user.role.changed'), [{ userId: teacher.id, organizationId, previousRole: 'teacher', role: 'admin', changedBy: null }])
  t.match((await ctx.sql`select details from auth.audit_log where action = 'role.change'`)[0]?.details, { from: 'teacher', to: 'admin' })
  t.equal((await api(ctx, 'GET', '/auth/me', teacher.auth)).status, 401, 'the token with the old role is refused')
  const signIn = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: teacher.email, password: teacher.password } })
  t.equal(signIn.statusCode, 200, 'the account keeps its own password')

  const loner = await createVerifiedUser(ctx)
  const moved = await create(ctx, input({ email: loner.email }))
  t.match(moved, { promoted: true, passwordSet: false })
  t.same((await eventsOf(ctx, 'organization.member.added')).map((e) => e.userId), [loner.id], 'an account in no organization joins it')
})

t.test('an account never verified takes the given password, so whoever registered the address first gets nothing', async (t) => {
  const ctx = await buildAuth(t)
  const res = await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: { email: 'ada@springfield.example', password: 'squatter password', role: 'teacher', displayName: 'Not Ada' } })
  t.equal(res.statusCode, 202)
  const result = await create(ctx, input())
  t.match(result, { userCreated: false, promoted: true, passwordSet: true })
  const [user] = await ctx.sql`select role, email_verified_at, password_hash from auth.users`
  t.equal(user?.role, 'admin')
  t.type(user?.email_verified_at, Date)
  t.notOk(await verify(user?.password_hash as string, 'squatter password'))
  const squatter = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'ada@springfield.example', password: 'squatter password' } })
  t.equal(squatter.statusCode, 401)
})

t.test('the command refuses an account of another organization, a disabled account, an ambiguous name and bad input', async (t) => {
  const ctx = await buildAuth(t)
  const elsewhere = await createOrganization(ctx, 'Elsewhere')
  const teacher = await member(ctx, 'teacher', elsewhere)
  await t.rejects(create(ctx, input({ email: teacher.email })), { code: 'AUTH_ACCOUNT_IN_OTHER_ORGANIZATION' })
  await t.rejects(create(ctx, input({ email: teacher.email, organization: 'Brand New' })), { code: 'AUTH_ACCOUNT_IN_OTHER_ORGANIZATION' })
  const disabled = await createVerifiedUser(ctx)
  await ctx.sql`update auth.users set disabled_at = now() where id = ${disabled.id}`
  await t.rejects(create(ctx, input({ email: disabled.email })), { code: 'AUTH_ACCOUNT_DISABLED' })
  await createOrganization(ctx, 'Twin')
  await createOrganization(ctx, 'Twin')
  await t.rejects(create(ctx, input({ organization: 'Twin' })), { code: 'AUTH_ORGANIZATION_AMBIGUOUS' })
  for (const bad of [{ email: 'not-an-email' }, { password: 'short' }, { displayName: '   ' }, { organization: '' }, { organization: 'x'.repeat(201) }]) {
    await t.rejects(create(ctx, input(bad)), { code: 'VALIDATION_FAILED' }, JSON.stringify(bad).slice(0, 40))
  }
  t.equal((await ctx.sql`select role from auth.users where id = ${teacher.id}`)[0]?.role, 'teacher')
  t.equal((await ctx.sql`select count(*)::int as n from auth.organizations`)[0]?.n, 3, 'nothing created')
  t.equal((await ctx.sql`select count(*)::int as n from auth.audit_log where action = 'admin.create'`)[0]?.n, 0)
})

t.test('the admin:create script does it from the command line', async (t) => {
  const ctx = await buildAuth(t)
  const cwd = fileURLToPath(new URL('../..', import.meta.url))
  const script = ['--conditions=dreamseed-source', '--import', 'tsx', 'src/cli/create-admin.ts']
  const env = { ...process.env, DATABASE_URL: ctx.databaseUrl }
  const args = ['--email', 'grace@example.org', '--name', 'Grace', '--organization', 'Hopper Academy']
  const ok = await run(process.execPath, [...script, ...args, '--password', 'correct horse battery'], { cwd, env })
  t.match(ok.stdout, /organization "Hopper Academy" [0-9a-f-]{36}: created\nadmin grace@example.org [0-9a-f-]{36}: created\npassword: set/)
  const again = await run(process.execPath, [...script, ...args], { cwd, env: { ...env, ADMIN_PASSWORD: 'correct horse battery' } })
  t.match(again.stdout, /already there[\s\S]*already its admin[\s\S]*unchanged/)
  t.equal((await ctx.sql`select count(*)::int as n from auth.users where role = 'admin'`)[0]?.n, 1)
  const usage = await run(process.execPath, [...script, '--email', 'x@example.org'], { cwd, env }).catch((err: { code: number, stderr: string }) => err)
  t.match(usage, { code: 2, stderr: /missing --name, --organization, --password/ })
  const bad = await run(process.execPath, [...script, ...args, '--password', 'short'], { cwd, env }).catch((err: { code: number, stderr: string }) => err)
  t.match(bad, { code: 1, stderr: /--password must have 8 to 128 characters/ })
  // Exactly as the README says, through pnpm, which passes the `--` on to the script.
  const viaPnpm = await run('pnpm', ['run', '--silent', 'admin:create', '--', '--email', 'ada@example.org', '--name', 'Ada', '--organization', 'Lovelace School', '--password', 'correct horse battery'], { cwd, env })
  t.match(viaPnpm.stdout, /organization "Lovelace School" [0-9a-f-]{36}: created/)
})
