import t from 'tap'
import { passwordResetSealContext, unseal, verificationSealContext } from '@dreamseed/events'
import { captureLogger } from '@dreamseed/testing'
import { buildAuth, createVerifiedUser, login, newUser, outbox } from './helper.js'

type Auth = Awaited<ReturnType<typeof buildAuth>>

async function sealedTokenOf (ctx: Auth, type: string, userId: string, field: 'verification' | 'reset'): Promise<string> {
  const event = (await outbox(ctx.sql)).filter((e) => e.type === type && e.envelope.data.userId === userId).at(-1)
  if (event === undefined) throw new Error(`no ${type} event`)
  return (event.envelope.data[field] as { sealedToken: string }).sealedToken
}

const requestsOf = (lines: Array<Record<string, unknown>>): string[] => lines.flatMap((l) => {
  const req = l.req as { method?: unknown, url?: unknown } | undefined
  return typeof req?.url === 'string' ? [`${String(req.method)} ${req.url}`] : []
})

t.test('live verification, reset and session tokens in query strings reach no log line; the paths do', async (t) => {
  const log = captureLogger('info')
  const ctx = await buildAuth(t, {}, { logger: log.logger })

  const pending = newUser()
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: pending })).statusCode, 202)
  const [created] = (await outbox(ctx.sql)).filter((e) => e.type === 'user.created')
  const pendingId = created!.envelope.data.userId as string
  const verifyToken = unseal(ctx.sealKey, await sealedTokenOf(ctx, 'user.created', pendingId, 'verification'), verificationSealContext(pendingId))

  const ann = await createVerifiedUser(ctx)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: ann.email } })).statusCode, 202)
  const resetToken = unseal(ctx.sealKey, await sealedTokenOf(ctx, 'user.password_reset.requested', ann.id, 'reset'), passwordResetSealContext(ann.id))
  const { sessionToken } = await login(ctx, ann)

  const answers = {
    verifyPage: await ctx.app.inject({ url: `/auth/verify?token=${verifyToken}` }),
    resetPage: await ctx.app.inject({ url: `/auth/password/reset?token=${resetToken}` }),
    notFound: await ctx.app.inject({ url: `/auth/nowhere?token=${resetToken}&sessionToken=${sessionToken}` }),
    invalid: await ctx.app.inject({ url: `/auth/password/reset?token=${resetToken}&sessionToken=${sessionToken}` }),
    malformed: await ctx.app.inject({ method: 'POST', url: `/auth/verify?token=${verifyToken}`, headers: { 'content-type': 'application/json' }, payload: '{"token":' })
  }
  t.equal(answers.verifyPage.statusCode, 200, 'the verification page was served')
  t.equal(answers.resetPage.statusCode, 200, 'the reset page was served: the token is live')
  t.equal(answers.notFound.statusCode, 404)
  t.equal(answers.invalid.json().error.code, 'VALIDATION_FAILED')
  t.equal(answers.malformed.json().error.code, 'MALFORMED_JSON')

  const text = log.text()
  for (const [name, secret] of Object.entries({ verifyToken, resetToken, sessionToken })) {
    t.notOk(text.includes(secret), `no line contains the ${name}`)
  }
  t.notMatch(text, /[?&](token|sessionToken)=/, 'no line contains a query string of these routes')
  const requests = requestsOf(log.lines)
  for (const request of ['GET /auth/verify', 'GET /auth/password/reset', 'GET /auth/nowhere', 'POST /auth/verify']) t.ok(requests.includes(request), `a line names ${request}`)
})
