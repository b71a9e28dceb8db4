// A signing key rotated the way it is deployed: several auth replicas behind a round-robin proxy, restarted
// one by one at each step, and another service checking tokens with auth's JWKS through that proxy.
//   step 1: AUTH_SIGNING_KEY=K1, AUTH_SIGNING_KEY_NEXT=K2       (publishes K1 and K2, signs with K1)
//   step 2: AUTH_SIGNING_KEY=K2, AUTH_SIGNING_KEY_PREVIOUS=K1   (publishes K2 and K1, signs with K2)
//   step 3: AUTH_SIGNING_KEY=K2, once K1's tokens have expired
// At every moment a token from either replica is accepted by the other and by the other service.
import t from 'tap'
import { createServer } from 'node:http'
import { randomBytes, randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import type { FastifyInstance } from 'fastify'
import { authenticationPlugin, createFastify, kitPlugin } from '@dreamseed/kit'
import { captureLogger } from '@dreamseed/testing'
import { buildApp, loadAuthConfig } from '../../src/app.js'
import { createSigner, signingKeyFromSeed } from '../../src/domain/signing-key.js'
import { buildAuth, createVerifiedUser } from '../helper.js'

interface T { teardown: (fn: () => unknown) => void }
interface Replica { name: string, app: FastifyInstance, url: string, close: () => Promise<void> }

async function startReplica (t: T, name: string, env: Record<string, string>): Promise<Replica> {
  const app = await buildApp(loadAuthConfig(env))
  await app.listen({ host: '127.0.0.1', port: 0 })
  let closed = false
  const close = async () => { if (!closed) { closed = true; await app.close() } }
  t.teardown(close)
  return { name, app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, close }
}

/** The proxy in front of auth's replicas: each request to the next one in turn, counted per replica. */
async function roundRobinProxy (t: T) {
  let upstreams: Replica[] = []
  let next = 0
  const served = new Map<string, number>()
  const server = createServer((req, res) => {
    const upstream = upstreams[next++ % upstreams.length]!
    served.set(upstream.name, (served.get(upstream.name) ?? 0) + 1)
    fetch(`${upstream.url}${req.url ?? '/'}`).then(async (answer) => {
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' }).end(Buffer.from(await answer.arrayBuffer()))
    }, () => { res.writeHead(502).end() })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => { server.closeAllConnections(); await new Promise((resolve) => server.close(resolve)) })
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`,
    route: (...replicas: Replica[]) => { upstreams = replicas },
    served: (name: string) => served.get(name) ?? 0
  }
}

/** Another service (as exam and analytics are), checking every request's signature: no cache of verified tokens. */
async function otherService (t: T, jwksUrl: string): Promise<FastifyInstance> {
  const app = createFastify({ serviceName: 'other', logLevel: 'silent', bodyLimit: 1024, logger: captureLogger('silent').logger })
  await app.register(kitPlugin)
  await app.register(authenticationPlugin, { keys: { jwksUrl }, issuer: 'dreamseed-auth', audience: 'dreamseed', verifiedTokenCacheSize: 0 })
  app.get('/whoami', { preHandler: app.requireUser }, async (request) => ({ id: request.user!.id }))
  await app.ready()
  t.teardown(() => app.close())
  return app
}

const verdict = async (app: FastifyInstance, url: string, token: string): Promise<string> => {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })
  return res.statusCode === 200 ? 'accepted' : String(res.json().error?.code)
}

t.test('a key rotated by rolling restarts refuses no valid token, and a key never published is refused throughout', async (t) => {
  const [k1, k2, k3] = [randomBytes(32), randomBytes(32), randomBytes(32)].map((seed) => seed.toString('base64'))
  const step0 = { AUTH_SIGNING_KEY: k1! }
  const step1 = { AUTH_SIGNING_KEY: k1!, AUTH_SIGNING_KEY_NEXT: k2! }
  const step2 = { AUTH_SIGNING_KEY: k2!, AUTH_SIGNING_KEY_PREVIOUS: k1! }
  const step3 = { AUTH_SIGNING_KEY: k2! }
  const ctx = await buildAuth(t, step0)
  const user = await createVerifiedUser(ctx)
  const proxy = await roundRobinProxy(t)
  const other = await otherService(t, proxy.jwksUrl)

  let live: Replica[] = []
  const restart = async (old: Replica | undefined, name: string, keys: Record<string, string>): Promise<Replica> => {
    await old?.close()
    const fresh = await startReplica(t, name, { ...ctx.env, ...keys })
    live = [...live.filter((r) => r !== old), fresh]
    proxy.route(...live)
    return fresh
  }
  const login = async (replica: Replica): Promise<string> => {
    const res = await replica.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password } })
    if (res.statusCode !== 200) throw new Error(`login on ${replica.name}: ${res.statusCode} ${res.body}`)
    return res.json().accessToken as string
  }
  /** How the other service and each live replica (GET /auth/me) answer a token. */
  const verdicts = async (token: string, service = other): Promise<Record<string, string>> => {
    const out: Record<string, string> = { other: await verdict(service, '/whoami', token) }
    for (const r of live) out[r.name] = await verdict(r.app, '/auth/me', token)
    return out
  }
  const acceptedByAll = () => Object.fromEntries(['other', ...live.map((r) => r.name)].map((name) => [name, 'accepted']))
  const refusedByAll = () => Object.fromEntries(['other', ...live.map((r) => r.name)].map((name) => [name, 'AUTH_TOKEN_INVALID']))
  const issued: Array<{ label: string, key: 'K1' | 'K2', token: string }> = []
  const issue = async (replica: Replica, key: 'K1' | 'K2') => { issued.push({ label: `${key} token from ${replica.name}`, key, token: await login(replica) }) }
  const everyTokenEverywhere = async (only?: 'K2') => {
    const tokens = issued.filter((x) => only === undefined || x.key === only)
    const seen: Record<string, Record<string, string>> = {}
    for (const x of tokens) seen[x.label] = await verdicts(x.token)
    return seen
  }
  const allAccepted = (only?: 'K2') => Object.fromEntries(issued.filter((x) => only === undefined || x.key === only).map((x) => [x.label, acceptedByAll()]))

  // A token from a replica that signs with a key nobody published, and one naming K2's key id but signed with K3.
  const stranger = await createSigner({ current: signingKeyFromSeed(Buffer.from(k3!, 'base64')), next: null, previous: null }, { issuer: 'dreamseed-auth', audience: 'dreamseed', ttlSeconds: 600 })
  const neverPublished = (await stranger.sign({ userId: user.id, sessionId: randomUUID(), role: 'student', organizationId: null }, new Date())).token
  const k2Kid = (await createSigner({ current: signingKeyFromSeed(Buffer.from(k2!, 'base64')), next: null, previous: null }, { issuer: 'dreamseed-auth', audience: 'dreamseed', ttlSeconds: 600 })).jwks.keys[0]!.kid!
  const forgedKid = await new SignJWT({ sid: randomUUID(), role: 'admin', org: null, iat_ms: Date.now() })
    .setProtectedHeader({ alg: 'EdDSA', kid: k2Kid, typ: 'JWT' }).setSubject(user.id).setIssuer('dreamseed-auth').setAudience('dreamseed')
    .setIssuedAt().setExpirationTime('10m').sign(signingKeyFromSeed(Buffer.from(k3!, 'base64')))

  // Step 0: two replicas sign with K1; the other service fetches the JWKS once.
  let a = await restart(undefined, 'a0', step0)
  let b = await restart(undefined, 'b0', step0)
  await issue(a, 'K1')
  await issue(b, 'K1')
  t.same(await everyTokenEverywhere(), allAccepted(), 'step 0')

  // Step 1, halfway: a publishes K2, b not yet. A token naming an unknown key makes the other service fetch
  // the JWKS again, from b: the set it then holds lacks K2, and is fresh.
  a = await restart(a, 'a1', step1)
  await issue(a, 'K1')
  await issue(b, 'K1')
  t.same(await everyTokenEverywhere(), allAccepted(), 'step 1 with a restarted')
  proxy.route(b)
  const fromB0 = proxy.served('b0')
  t.same(await verdicts(neverPublished), refusedByAll(), 'a token signed with a key never published is refused')
  t.equal(proxy.served('b0') - fromB0, 1, 'after the other service fetched the JWKS again, from the replica without K2')
  proxy.route(...live)

  b = await restart(b, 'b1', step1)
  await issue(a, 'K1')
  await issue(b, 'K1')
  t.same(await everyTokenEverywhere(), allAccepted(), 'step 1 done')

  // Step 2, halfway: a signs with K2. The other service lacks K2 and fetched moments ago; its fetch lands on
  // b, still at step 1, which publishes K2 as the next key.
  a = await restart(a, 'a2', step2)
  proxy.route(b)
  const fromB1 = proxy.served('b1')
  const firstK2 = await login(a)
  t.same(await verdicts(firstK2), acceptedByAll(), 'the first K2 token is accepted by the other service and by b, which still signs with K1')
  t.equal(proxy.served('b1') - fromB1, 1, 'the other service fetched the JWKS again, from b')
  issued.push({ label: 'K2 token from a2', key: 'K2', token: firstK2 })
  proxy.route(...live)
  await issue(b, 'K1')
  t.same(await everyTokenEverywhere(), allAccepted(), 'step 2 with a restarted: K1 tokens issued just before still verify')

  b = await restart(b, 'b2', step2)
  await issue(a, 'K2')
  await issue(b, 'K2')
  t.same(await everyTokenEverywhere(), allAccepted(), 'step 2 done: every K1 token issued before the switch still verifies')
  const started = await otherService(t, proxy.jwksUrl)
  const seenByNewcomer: Record<string, string> = {}
  for (const x of issued) seenByNewcomer[x.label] = await verdict(started, '/whoami', x.token)
  t.same(seenByNewcomer, Object.fromEntries(issued.map((x) => [x.label, 'accepted'])), 'a service started after the switch accepts them too')

  // Step 3, once K1's tokens have expired (ACCESS_TOKEN_TTL_S after step 2 is done): only K2 is published.
  a = await restart(a, 'a3', step3)
  b = await restart(b, 'b3', step3)
  await issue(a, 'K2')
  await issue(b, 'K2')
  t.same(await everyTokenEverywhere('K2'), allAccepted('K2'), 'step 3: every K2 token')
  const k1Token = issued.find((x) => x.key === 'K1')!.token
  t.same({ a3: await verdict(a.app, '/auth/me', k1Token), b3: await verdict(b.app, '/auth/me', k1Token) }, { a3: 'AUTH_TOKEN_INVALID', b3: 'AUTH_TOKEN_INVALID' }, 'a K1 token is refused once K1 is dropped: why step 3 waits for them to expire')
  t.same(await verdicts(neverPublished), refusedByAll(), 'a key never published is still refused')
  t.same(await verdicts(forgedKid), refusedByAll(), 'and so is a token naming K2\'s key id that K2 did not sign')
})
