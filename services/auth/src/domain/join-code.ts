// Classroom join codes: 10 characters of Crockford's base32 (no I, L, O or U), 50 random bits. Read aloud or
// copied from a board, they are accepted in any case, with dashes or spaces, and with I/L read as 1 and O as 0.
import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const JOIN_CODE_LENGTH = 10
export const JOIN_CODE = /^[0-9A-HJKMNP-TV-Z]{10}$/

export function newJoinCode (): string {
  // 256 is a multiple of 32, so masking a byte keeps every character equally likely.
  return [...randomBytes(JOIN_CODE_LENGTH)].map((b) => ALPHABET[b & 31]).join('')
}

/** The canonical form of what someone typed, or null when it cannot be a join code. */
export function normalizeJoinCode (typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
  return JOIN_CODE.test(code) ? code : null
}
