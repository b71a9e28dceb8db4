import t from 'tap'
import { hash, type Options } from '@node-rs/argon2'
import { buildAuth, createVerifiedUser, login } from '../helper.js'

// 2 is Argon2id (@node-rs/argon2's Algorithm is a const enum, which isolated modules cannot read).
const weaker = { algorithm: 2 as NonNullable<Options['algorithm']>, memoryCost: 8192, timeCost: 1, parallelism: 1 } satisfies Options

t.test('a hash made with older argon2 parameters is upgraded at the next successful login, and only then', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const old = await hash(ann.password, weaker)
  t.match(old, /^\$argon2id\$v=19\$m=8192,t=1,p=1\$/)
  await ctx.sql`update auth.users set password_hash = ${old} where id = ${ann.id}`

  const wrong = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: ann.email, password: 'not the password' } })
  t.equal(wrong.statusCode, 401)
  t.equal((await ctx.sql`select password_hash from auth.users where id = ${ann.id}`)[0]?.password_hash, old, 'a failed login changes nothing')

  await login(ctx, ann)
  const [row] = await ctx.sql`select password_hash from auth.users where id = ${ann.id}`
  t.match(row?.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, 'today\'s parameters')
  const [audit] = await ctx.sql`select details from auth.audit_log where action = 'login' and outcome = 'success'`
  t.same(audit?.details, { rehashed: true })

  await login(ctx, ann)
  t.equal((await ctx.sql`select password_hash from auth.users where id = ${ann.id}`)[0]?.password_hash, row?.password_hash, 'a current hash is left alone')
})
