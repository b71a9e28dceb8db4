// Authorization headers a service must refuse, made from one of its valid tokens: signed by another key,
// re-signed by nobody (alg none), a role raised without a new signature, truncated, doubled, or no bearer at all.
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url')

export async function badTokens (valid: string, issuer: string, audience: string): Promise<string[]> {
  const { privateKey } = generateKeyPairSync('ed25519')
  const foreign = await new SignJWT({ sid: randomUUID(), role: 'admin', org: null }).setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(randomUUID()).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('10m').sign(privateKey)
  const expired = await new SignJWT({ sid: randomUUID(), role: 'admin', org: null }).setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(randomUUID()).setIssuer(issuer).setAudience(audience).setIssuedAt(1_000_000).setExpirationTime(1_000_600).sign(privateKey)
  const [header = '', payload = '', signature = ''] = valid.split('.')
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  const raised = b64(JSON.stringify({ ...claims, role: 'admin', org: randomUUID() }))
  const polluted = b64(JSON.stringify(claims).replace(/^\{/, '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"role":"admin"}},'))
  return [
    `Bearer ${foreign}`,
    `Bearer ${expired}`,
    `Bearer ${header}.${raised}.${signature}`,
    `Bearer ${b64('{"alg":"none","typ":"JWT"}')}.${raised}.`,
    `Bearer ${header}.${polluted}.${signature}`,
    `Bearer ${valid.slice(0, -3)}AAA`,
    `Bearer ${header}.${payload}`,
    `Bearer ${valid} ${valid}`,
    `Bearer ${valid}.`,
    'Bearer',
    'Bearer ',
    'Bearer null',
    'Bearer undefined',
    `Bearer ${'a'.repeat(10_000)}`,
    `Bearer ${'.'.repeat(3)}`,
    `Basic ${b64('admin:admin')}`,
    valid,
    'Bearer \u00e9\u00ff'
  ]
}
