// Password hashing with the parameters OWASP recommends for argon2id (m=19 MiB, t=2, p=1), stored as PHC strings.
import { hash, verify, type Options } from '@node-rs/argon2'

// @node-rs/argon2 declares Algorithm as a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>

export const ARGON2_PARAMS: Options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export const hashPassword = async (password: string): Promise<string> => await hash(password, ARGON2_PARAMS)
export const verifyPassword = async (phc: string, password: string): Promise<boolean> => await verify(phc, password)
