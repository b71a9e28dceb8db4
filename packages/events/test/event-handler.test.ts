import t from 'tap'
import { createEventHandler, eventKey, newEnvelope, toHandlerResult, userCreatedV1, type ReceivedEvent } from '../src/index.js'

const created = () => newEnvelope(userCreatedV1, {
  userId: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10',
  email: 'ann@example.org',
  displayName: 'Ann',
  role: 'student',
  verification: { sealedToken: 'abc', expiresAt: new Date().toISOString() }
})
const received = (envelope: ReceivedEvent['envelope']): ReceivedEvent => ({ envelope, subject: 'x', deliveryCount: 1, streamSequence: 1, lastAttempt: false })

t.test('an event the table does not name is ignored and acknowledged, its handler never called', async (t) => {
  const calls: string[] = []
  const handler = createEventHandler({ handlers: { 'user.verified.v1': async () => { calls.push('verified') } } })
  const handled = await handler.handle(received(created()))
  t.same(handled, { kind: 'ignored' })
  t.same(toHandlerResult(handled), { kind: 'ack' })
  t.same(calls, [])
})

t.test('an event that breaks its contract is rejected before its handler runs', async (t) => {
  const calls: string[] = []
  const handler = createEventHandler({ handlers: { [eventKey('user.created', 1)]: async () => { calls.push('created') } } })
  const broken = { ...created(), data: { userId: 'not-a-uuid' } }
  const handled = await handler.handle(received(broken))
  t.equal(handled.kind, 'rejected')
  t.match(toHandlerResult(handled), { kind: 'reject', reason: /^user\.created\.v1 breaks its contract: / })
  t.same(calls, [])
})

t.test('a handled event is applied with the context `once` gives it, and a duplicate is not applied again', async (t) => {
  const seen = new Set<string>()
  const applied: Array<{ ctx: string, email: string }> = []
  const handler = createEventHandler<string, number>({
    handlers: { 'user.created.v1': async (ctx, envelope) => { applied.push({ ctx, email: (envelope.data as { email: string }).email }); return applied.length } },
    once: async (envelope, apply) => {
      if (seen.has(envelope.id)) return undefined
      seen.add(envelope.id)
      return await apply('tx-1')
    }
  })
  const event = received(created())
  t.same(await handler.handle(event), { kind: 'applied', value: 1 })
  t.same(await handler.handle(event), { kind: 'duplicate' })
  t.same(applied, [{ ctx: 'tx-1', email: 'ann@example.org' }])
  t.same(toHandlerResult({ kind: 'duplicate' }), { kind: 'ack' })
})

t.test('without `once` the handler runs on every delivery', async (t) => {
  let runs = 0
  const handler = createEventHandler({ handlers: { 'user.created.v1': async () => { runs++ } } })
  const event = received(created())
  await handler.handle(event)
  await handler.handle(event)
  t.equal(runs, 2)
})
