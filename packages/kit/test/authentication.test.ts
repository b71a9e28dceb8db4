// A verified access token is remembered until it expires, so a request pays for the signature check once
// per token; revocation is still checked on every request, and an expired token is refused even if cached.
import t from 'tap'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { SignJWT, type JWTVerifyGetKey } from 'jose'
import { Redis } from 'ioredis'
import { authenticationPlugin, createFastify, kitPlugin, revokeUserTokensBefore } from '../src/index.js'
import { captureLogger } from '@dreamseed/testing'

t.test('a verified token is verified once until it expires; revocation is checked every time', async (t) => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  let keyLookups = 0
  const key: JWTVerifyGetKey = async () => { keyLookups++; return publicKey }
  let clock = Date.now()
  const redis = new Redis({ lazyConnect: true })
  await redis.connect()
  t.teardown(() => { redis.disconnect() })
  const app = createFastify({ serviceName: 'auth-cache-test', logLevel: 'silent', bodyLimit: 1024, logger: captureLogger('silent').logger })
  await app.register(kitPlugin)
  await app.register(authenticationPlugin, { keys: { key }, issuer: 'i', audience: 'a', redis: () => redis, now: () => clock, verifiedTokenCacheSize: 2 })
  app.get('/me', { preHandler: app.requireUser }, async (request) => ({ id: request.user!.id }))
  await app.ready()
  t.teardown(() => app.close())

  const issue = async (userId: string) => await new SignJWT({ sid: randomUUID(), role: 'student', org: null })
    .setProtectedHeader({ alg: 'EdDSA' }).setSubject(userId).setIssuer('i').setAudience('a')
    .setIssuedAt(Math.floor(clock / 1000)).setExpirationTime(Math.floor(clock / 1000) + 300).sign(privateKey)
  const get = async (token: string) => await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } })

  const ann = randomUUID()
  const token = await issue(ann)
  for (let i = 0; i < 5; i++) t.same((await get(token)).json(), { id: ann })
  t.equal(keyLookups, 1, 'five requests, one signature check')

  // A character in the middle of the signature: the last ones may carry only padding bits.
  const at = token.length - 20
  const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`
  t.equal((await get(tampered)).json().error.code, 'AUTH_TOKEN_INVALID', 'another string is verified, and fails')

  // Revoked after issue: refused at once although the token is cached.
  await revokeUserTokensBefore(redis, ann, clock + 1000, 60)
  const revoked = await get(token)
  await redis.del(`auth:revoked:user:${ann}`)
  t.equal((await get(token)).statusCode, 200, 'and accepted again once the revocation is gone (it was the check, not the cache)')

  // Cached until its expiry, not after.
  clock += 301_000
  t.equal((await get(token)).json().error.code, 'AUTH_TOKEN_EXPIRED', 'an expired token is refused even when cached')

  // The cache is bounded: with room for two, a third token evicts the oldest.
  const before = keyLookups
  const [a, b, c] = await Promise.all([issue(randomUUID()), issue(randomUUID()), issue(randomUUID())])
  for (const x of [a, b, c, c, b]) await get(x!)
  t.equal(keyLookups - before, 3, 'b and c stay cached')
  await get(a!)
  t.equal(keyLookups - before, 4, 'a was evicted')
  t.equal(revoked.json().error?.code, 'AUTH_SESSION_REVOKED', 'a revoked session is refused even when its token is cached')
})

t.test('a revocation refuses tokens issued up to its millisecond and accepts one issued after it in the same second', async (t) => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const redis = new Redis({ lazyConnect: true })
  await redis.connect()
  t.teardown(() => { redis.disconnect() })
  const app = createFastify({ serviceName: 'auth-ms-test', logLevel: 'silent', bodyLimit: 1024, logger: captureLogger('silent').logger })
  await app.register(kitPlugin)
  await app.register(authenticationPlugin, { keys: { key: publicKey }, issuer: 'i', audience: 'a', redis: () => redis })
  app.get('/me', { preHandler: app.requireUser }, async (request) => ({ issuedAt: request.user!.issuedAt }))
  await app.ready()
  t.teardown(() => app.close())
  const userId = randomUUID()
  const second = Math.floor(Date.now() / 1000)
  const cutoff = second * 1000 + 400
  await revokeUserTokensBefore(redis, userId, cutoff, 60)
  t.teardown(async () => { await redis.del(`auth:revoked:user:${userId}`) })
  const token = async (claims: Record<string, unknown>) => await new SignJWT({ sid: randomUUID(), role: 'student', org: null, ...claims })
    .setProtectedHeader({ alg: 'EdDSA' }).setSubject(userId).setIssuer('i').setAudience('a').setIssuedAt(second).setExpirationTime(second + 300).sign(privateKey)
  const status = async (claims: Record<string, unknown>) => (await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${await token(claims)}` } })).statusCode
  t.equal(await status({ iat_ms: cutoff - 100 }), 401, 'issued before the revocation')
  t.equal(await status({ iat_ms: cutoff }), 401, 'issued at its millisecond')
  t.equal(await status({ iat_ms: cutoff + 1 }), 200, 'issued after it, same second')
  t.equal(await status({}), 401, 'without iat_ms the whole second counts as before')
  t.equal(await status({ iat_ms: cutoff + 5000 }), 401, 'an iat_ms that disagrees with iat is ignored')
})
