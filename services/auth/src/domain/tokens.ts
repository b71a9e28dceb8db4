// Single-use tokens for links in mails: 256 random bits, given to the user once; only their SHA-256 is stored.
import { createHash, randomBytes } from 'node:crypto'

export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$'

export function newToken (): { token: string, hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashToken(token) }
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')
