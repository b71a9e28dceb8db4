// auth's keys as another service fetches them: a key id the set lacks is looked up in a set fetched after the
// token arrived, however recent the last fetch (a key rotation publishes the next key before any replica
// signs with it), fetches for unknown key ids are shared, and a set past its age stays in use while auth
// cannot be reached.
import t from 'tap'
import { createServer } from 'node:http'
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import { SignJWT, calculateJwkThumbprint, exportJWK, type JWK } from 'jose'
import { createRemoteKeySet } from '../src/auth/remote-key-set.js'
import { verifyAccessToken } from '../src/auth/access-token.js'

interface Key { privateKey: KeyObject, jwk: JWK, kid: string }

async function newKey (): Promise<Key> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const jwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(jwk)
  return { privateKey, kid, jwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } }
}

/** A JWKS endpoint whose keys the test sets, counting the fetches it answers. */
async function jwksServer (t: { teardown: (fn: () => unknown) => void }, keys: Key[]) {
  const state = { keys, fetches: 0, down: false }
  const server = createServer((_req, res) => {
    state.fetches++
    if (state.down) { res.writeHead(503).end(); return }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys.map((k) => k.jwk) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => { server.closeAllConnections(); await new Promise((resolve) => server.close(resolve)) })
  return Object.assign(state, { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json` })
}

const token = async (key: Key, kid = key.kid) => await new SignJWT({ sid: randomUUID(), role: 'student', org: null })
  .setProtectedHeader({ alg: 'EdDSA', kid }).setSubject(randomUUID()).setIssuer('i').setAudience('a')
  .setIssuedAt().setExpirationTime('5m').sign(key.privateKey)

type Resolver = ReturnType<typeof createRemoteKeySet>
const verify = async (keys: Resolver, jwt: string) => await verifyAccessToken(jwt, keys, { issuer: 'i', audience: 'a' }).then(() => 'accepted', (err: { code?: string }) => err.code ?? 'error')

t.test('a key id the set lacks is fetched again at once, even just after a fetch', async (t) => {
  const [k1, k2] = [await newKey(), await newKey()]
  const auth = await jwksServer(t, [k1])
  const keys = createRemoteKeySet(auth.url)
  t.equal(await verify(keys, await token(k1)), 'accepted')
  t.equal(await verify(keys, await token(k1)), 'accepted')
  t.equal(auth.fetches, 1, 'a known key id needs no fetch')

  // The next key is published; a token signed with it comes right after the fetch above.
  auth.keys = [k1, k2]
  t.equal(await verify(keys, await token(k2)), 'accepted', 'a token signed with the newly published key')
  t.equal(auth.fetches, 2, 'found by one more fetch')
  t.equal(await verify(keys, await token(k1)), 'accepted', 'and the first key still works')
  t.equal(auth.fetches, 2)
})

t.test('tokens naming a key auth never published are refused, and those arriving together share one fetch', async (t) => {
  const [k1, never] = [await newKey(), await newKey()]
  const auth = await jwksServer(t, [k1])
  const keys = createRemoteKeySet(auth.url)
  t.equal(await verify(keys, await token(k1)), 'accepted')
  t.equal(auth.fetches, 1)

  const forged = await Promise.all(Array.from({ length: 10 }, async () => await token(never, randomUUID())))
  const outcomes = await Promise.all(forged.map(async (jwt) => await verify(keys, jwt)))
  t.same(outcomes, forged.map(() => 'ERR_JWKS_NO_MATCHING_KEY'), 'every one refused')
  t.equal(auth.fetches, 2, 'after a single fetch between them')

  t.equal(await verify(keys, await token(never)), 'ERR_JWKS_NO_MATCHING_KEY', 'its own key id: refused')
  t.equal(await verify(keys, await token(never, k1.kid)), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'a published key id on a token the key did not sign: refused')
  t.equal(auth.fetches, 3, 'the known key id needed no fetch')
})

t.test('a set past its age is fetched again; while auth cannot answer, the old set stays in use', async (t) => {
  const [k1, k2] = [await newKey(), await newKey()]
  const auth = await jwksServer(t, [k1])
  const failures: unknown[] = []
  const keys = createRemoteKeySet(auth.url, { maxAgeMs: 0, minIntervalMs: 0, onStaleRefreshFailed: (err) => failures.push(err) })
  t.equal(await verify(keys, await token(k1)), 'accepted')
  t.equal(await verify(keys, await token(k1)), 'accepted')
  t.equal(auth.fetches, 2, 'fetched again once past its age')
  t.equal(failures.length, 0)

  auth.down = true
  t.equal(await verify(keys, await token(k1)), 'accepted', 'a token signed with a key of the old set')
  t.equal(failures.length, 1, 'the failed refresh is reported')
  auth.keys = [k1, k2]
  t.not(await verify(keys, await token(k2)), 'accepted', 'a key the old set lacks cannot be trusted until auth answers')
  auth.down = false
  t.equal(await verify(keys, await token(k2)), 'accepted', 'and is once it does')
})
