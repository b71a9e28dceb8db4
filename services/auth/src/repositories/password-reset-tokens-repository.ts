// Password reset links' tokens (stored as SHA-256 hashes): single use, expiring, spaced by an interval.
import { passwordResetTokens } from '@dreamseed/schema/auth'
import type { Executor } from '@dreamseed/kit'
import { createSingleUseTokens } from './single-use-tokens-repository.js'

export const createPasswordResetTokensRepository = (db: Executor) => createSingleUseTokens(db, passwordResetTokens)

export type PasswordResetTokensRepository = ReturnType<typeof createPasswordResetTokensRepository>
