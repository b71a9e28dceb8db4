// Access tokens as auth issues them (EdDSA; sid, role and org claims; ten minutes), signed with a key pair the
// test made, so a service's tests need no auth service: the service is built trusting `publicKey`.
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import { SignJWT } from 'jose'

export interface TokenCaller { userId: string, role: string, organizationId: string | null }

/** What the service checks a token against: its config's issuer and audience. */
export interface TokenAudience { authIssuer: string, authAudience: string }

export interface AccessTokenSigner {
  publicKey: KeyObject
  tokenFor: (caller: TokenCaller, audience: TokenAudience) => Promise<string>
}

export function accessTokenSigner (): AccessTokenSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const tokenFor = async (caller: TokenCaller, audience: TokenAudience): Promise<string> =>
    await new SignJWT({ sid: randomUUID(), role: caller.role, org: caller.organizationId })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(caller.userId)
      .setIssuer(audience.authIssuer)
      .setAudience(audience.authAudience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey)
  return { publicKey, tokenFor }
}
