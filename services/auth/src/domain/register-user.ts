// Registration. The answer never says whether the address was new: an existing address costs the same hash
// and the same number of writes, and its owner gets a "you already have an account" mail instead.
import { eq } from 'drizzle-orm'
import { users, authOutbox } from '@dreamseed/schema/auth'
import { newEnvelope, newEventId, outboxRow, userCreatedV1, userRegistrationRepeatedV1 } from '@dreamseed/events'
import type { AuthDeps, RequestMeta } from './deps.js'
import { normalizeEmail } from './email.js'
import { issueVerificationToken } from './verification-link.js'

export interface RegistrationInput {
  email: string
  password: string
  role: 'student' | 'teacher'
  displayName: string
}

export async function registerUser (deps: AuthDeps, input: RegistrationInput, meta: RequestMeta = {}): Promise<void> {
  const email = normalizeEmail(input.email)
  const displayName = input.displayName.trim()
  const passwordHash = await deps.hashPassword(input.password)
  await deps.db.transaction(async (tx) => {
    const now = deps.now()
    const id = newEventId()
    const inserted = await tx.insert(users)
      .values({ id, email, passwordHash, displayName, role: input.role, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id })
    if (inserted.length === 1) {
      const verification = await issueVerificationToken(tx, deps, id)
      const event = newEnvelope(userCreatedV1, { userId: id, email, displayName, role: input.role, verification }, { ...meta, now })
      await tx.insert(authOutbox).values(outboxRow(event, id))
      return
    }
    const [existing] = await tx.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.email, email))
    if (existing === undefined) throw new Error('user vanished during registration')
    const event = newEnvelope(userRegistrationRepeatedV1, { userId: existing.id, email, displayName: existing.displayName }, { ...meta, now })
    await tx.insert(authOutbox).values(outboxRow(event, existing.id))
  })
  deps.eventsWritten()
}
