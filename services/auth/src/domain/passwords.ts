// Password hashing with the parameters OWASP recommends for argon2id (m=19 MiB, t=2, p=1), stored as PHC strings.
import { randomBytes } from 'node:crypto'
import { hash, verify, type Options } from '@node-rs/argon2'

// @node-rs/argon2 declares Algorithm as a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>

export const ARGON2_PARAMS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } satisfies Options

export const hashPassword = async (password: string): Promise<string> => await hash(password, ARGON2_PARAMS)
export const verifyPassword = async (phc: string, password: string): Promise<boolean> => {
  try { return await verify(phc, password) } catch { return false }
}

/** True when a stored hash was made with other parameters than today's, so the next login upgrades it. */
export function needsRehash (phc: string, params: Options = ARGON2_PARAMS): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc)
  return m === null || Number(m[1]) !== params.memoryCost || Number(m[2]) !== params.timeCost || Number(m[3]) !== params.parallelism
}

/** A hash of nothing anyone knows: verified when the account does not exist, so that costs the same time. */
export const makeDummyHash = async (): Promise<string> => await hashPassword(randomBytes(16).toString('hex'))
