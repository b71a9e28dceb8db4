// The signed-in user's own account: read it, change the display name.
import type { AuthDeps } from './deps.js'
import { UserNotFoundError } from '../errors.js'

export async function getProfile (deps: AuthDeps, userId: string) {
  const user = await deps.repos.users.profile(userId)
  if (user === undefined) throw new UserNotFoundError('No such user')
  return user
}

export async function updateDisplayName (deps: AuthDeps, userId: string, displayName: string) {
  const user = await deps.repos.users.setDisplayName(userId, displayName.trim(), deps.now())
  if (user === undefined) throw new UserNotFoundError('No such user')
  return user
}
