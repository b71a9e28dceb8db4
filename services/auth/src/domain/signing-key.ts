// auth's Ed25519 signing key: given in production as a PKCS#8 PEM or a base64 32-byte seed; generated once
// per checkout in development. Its public half is served as a JWKS for every other service.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { SignJWT, calculateJwkThumbprint, exportJWK, type JWK } from 'jose'
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

export interface AccessTokenSigner {
  sign: (claims: { userId: string, sessionId: string, role: Role, organizationId: string | null }, now: Date) => Promise<{ token: string, expiresAt: Date }>
  publicKey: KeyObject
  jwks: { keys: JWK[] }
  ttlSeconds: number
}

export async function createSigner (privateKey: KeyObject, options: { issuer: string, audience: string, ttlSeconds: number }): Promise<AccessTokenSigner> {
  const publicKey = createPublicKey(privateKey)
  const jwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(jwk)
  return {
    publicKey,
    ttlSeconds: options.ttlSeconds,
    jwks: { keys: [{ ...jwk, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' }] },
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
        .sign(privateKey)
      return { token, expiresAt: new Date(exp * 1000) }
    }
  }
}
