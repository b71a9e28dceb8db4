// auth's Ed25519 signing key: given in production as a PKCS#8 PEM or a base64 32-byte seed; generated once
// per checkout in development. Its public half is served as a JWKS for every other service; while the key is
// rotated, the JWKS holds the next or the previous key too.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { SignJWT, calculateJwkThumbprint, createLocalJWKSet, exportJWK, type JWK, type JWTVerifyGetKey } from 'jose'
import { ACCESS_TOKEN_ALGORITHM, type Role } from '@dreamseed/kit'

// DER header of a PKCS#8 Ed25519 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

export function signingKeyFromSeed (seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new Error('expected a 32-byte seed')
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' })
}

export function parseSigningKey (raw: string): KeyObject {
  if (raw.includes('BEGIN PRIVATE KEY')) {
    const key = createPrivateKey(raw)
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('expected an Ed25519 key')
    return key
  }
  return signingKeyFromSeed(Buffer.from(raw, 'base64'))
}

/** The key that signs, and the ones published beside it while keys are rotated (see the README). */
export interface SigningKeys {
  current: KeyObject
  /** Published before any replica signs with it, so every verifier can know it by then. */
  next: KeyObject | null
  /** Published after the switch, so tokens it signed verify until they expire. */
  previous: KeyObject | null
}

export interface AccessTokenSigner {
  sign: (claims: { userId: string, sessionId: string, role: Role, organizationId: string | null }, now: Date) => Promise<{ token: string, expiresAt: Date }>
  /** Every published key: the one that signs first, then the next and the previous. */
  jwks: { keys: JWK[] }
  /** What auth itself checks access tokens with: the published keys, so a token from a replica one rotation step ahead or behind is accepted. */
  verificationKeys: JWTVerifyGetKey
  ttlSeconds: number
}

/** Whether two keys are the same key (their public halves are equal). */
export function sameKey (a: KeyObject, b: KeyObject): boolean {
  return createPublicKey(a).export({ format: 'der', type: 'spki' }).equals(createPublicKey(b).export({ format: 'der', type: 'spki' }))
}

async function publicJwk (privateKey: KeyObject): Promise<JWK & { kid: string }> {
  const jwk = await exportJWK(createPublicKey(privateKey))
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' }
}

export async function createSigner (keys: SigningKeys, options: { issuer: string, audience: string, ttlSeconds: number }): Promise<AccessTokenSigner> {
  const published = await Promise.all([keys.current, keys.next, keys.previous].filter((k) => k !== null).map(publicJwk))
  const kid = published[0]!.kid
  const jwks = { keys: published }
  return {
    ttlSeconds: options.ttlSeconds,
    jwks,
    verificationKeys: createLocalJWKSet(jwks),
    sign: async (claims, now) => {
      const iat = Math.floor(now.getTime() / 1000)
      const exp = iat + options.ttlSeconds
      // iat_ms: the issue time to the millisecond, so a token issued just after a revocation in the same
      // second is told apart from one issued just before it (iat has whole seconds only).
      const token = await new SignJWT({ sid: claims.sessionId, role: claims.role, org: claims.organizationId, iat_ms: now.getTime() })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid, typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(keys.current)
      return { token, expiresAt: new Date(exp * 1000) }
    }
  }
}
