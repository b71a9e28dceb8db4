// Access tokens as auth issues them (EdDSA; sid, role and org claims; ten minutes), signed with a key pair the
// test made, so a service's tests need no auth service: the service is built trusting `publicKey`. The bench
// passes the private key it started auth with (and a longer life), so the platform's own JWKS verifies them.
import { createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, SignJWT } from 'jose'

export interface TokenCaller { userId: string, role: string, organizationId: string | null }

/** What the service checks a token against: its config's issuer and audience. */
export interface TokenAudience { authIssuer: string, authAudience: string }

export interface AccessTokenSigner {
  publicKey: KeyObject
  tokenFor: (caller: TokenCaller, audience: TokenAudience) => Promise<string>
}

export function accessTokenSigner (options: { privateKey?: KeyObject, ttl?: string } = {}): AccessTokenSigner {
  const privateKey = options.privateKey ?? generateKeyPairSync('ed25519').privateKey
  const publicKey = createPublicKey(privateKey)
  // auth names its key in the header (the JWKS thumbprint), so a verifier picks it among several while keys rotate.
  const kid = exportJWK(publicKey).then(calculateJwkThumbprint)
  const tokenFor = async (caller: TokenCaller, audience: TokenAudience): Promise<string> =>
    await new SignJWT({ sid: randomUUID(), role: caller.role, org: caller.organizationId })
      .setProtectedHeader({ alg: 'EdDSA', kid: await kid, typ: 'JWT' })
      .setSubject(caller.userId)
      .setIssuer(audience.authIssuer)
      .setAudience(audience.authAudience)
      .setIssuedAt()
      .setExpirationTime(options.ttl ?? '10m')
      .sign(privateKey)
  return { publicKey, tokenFor }
}
