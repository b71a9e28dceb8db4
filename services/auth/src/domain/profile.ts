// The signed-in user's own account: read it, change the display name.
import { eq } from 'drizzle-orm'
import { users } from '@dreamseed/schema/auth'
import type { AuthDeps } from './deps.js'
import { UserNotFoundError } from '../errors.js'

const profileColumns = { id: users.id, email: users.email, displayName: users.displayName, role: users.role, organizationId: users.organizationId, emailVerifiedAt: users.emailVerifiedAt, createdAt: users.createdAt }

export async function getProfile (deps: AuthDeps, userId: string) {
  const [user] = await deps.db.select(profileColumns).from(users).where(eq(users.id, userId))
  if (user === undefined) throw new UserNotFoundError('No such user')
  return user
}

export async function updateDisplayName (deps: AuthDeps, userId: string, displayName: string) {
  const [user] = await deps.db.update(users).set({ displayName: displayName.trim(), updatedAt: deps.now() }).where(eq(users.id, userId)).returning(profileColumns)
  if (user === undefined) throw new UserNotFoundError('No such user')
  return user
}
