// The first admin of an organization comes from a command run by whoever operates the platform, never from
// self-registration. It creates the organization (found by its exact name if it exists) and a verified admin
// in it, or promotes an existing account to admin of that organization. Running it again changes nothing.
//
// An existing account keeps its password if its address was verified (its owner proved the mailbox). One never
// verified takes the given password: anyone could have registered that address first, and must not end up
// holding an admin account. An account of another organization or a disabled one is refused, not moved.
import { newEventId, organizationCreatedV1, organizationMemberAddedV1 } from '@dreamseed/events'
import type { AuthDeps } from './deps.js'
import { normalizeEmail } from './email.js'
import { admitToOrganization, changeRole, writeEvent, type ChangeContext } from './membership.js'
import { refuseTokensIssuedBefore, type RevocationDeps } from './token-revocation.js'
import { AccountDisabledError, AccountInOtherOrganizationError, OrganizationAmbiguousError, invalidInput } from '../errors.js'

export type CreateAdminDeps = Pick<AuthDeps, 'repos' | 'hashPassword' | 'now' | 'eventsWritten'> & RevocationDeps

export interface CreateAdminInput {
  email: string
  password: string
  displayName: string
  organization: string
}

export interface CreateAdminResult {
  userId: string
  organizationId: string
  organizationCreated: boolean
  userCreated: boolean
  /** The account's role or organization changed (it was promoted or moved in from no organization). */
  promoted: boolean
  passwordSet: boolean
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
// The same rule as display names in the API: printable, at least one visible character.
const PRINTABLE = /^[^\u0000-\u001f\u007f]*[^\s\u0000-\u001f\u007f][^\u0000-\u001f\u007f]*$/ // eslint-disable-line no-control-regex

export function checkCreateAdminInput (input: CreateAdminInput): string[] {
  const problems: string[] = []
  if (!EMAIL.test(input.email.trim()) || input.email.length > 254) problems.push('--email must be an email address')
  if (input.password.length < 8 || input.password.length > 128) problems.push('--password must have 8 to 128 characters')
  if (!PRINTABLE.test(input.displayName) || input.displayName.trim().length > 100) problems.push('--name must have 1 to 100 printable characters')
  if (!PRINTABLE.test(input.organization) || input.organization.trim().length > 200) problems.push('--organization must have 1 to 200 printable characters')
  return problems
}

export async function createAdmin (deps: CreateAdminDeps, input: CreateAdminInput): Promise<CreateAdminResult> {
  const problems = checkCreateAdminInput(input)
  if (problems.length > 0) throw invalidInput(problems.join('; '))
  const email = normalizeEmail(input.email)
  const displayName = input.displayName.trim()
  const organizationName = input.organization.trim()
  const passwordHash = await deps.hashPassword(input.password)
  const ctx: ChangeContext = { actorId: null, now: deps.now() }

  const result = await deps.repos.transaction(async (tx) => {
    // Two runs at once must not create the organization twice (names are not unique in the table).
    await tx.organizations.lockAdminCommand()
    const named = await tx.organizations.idsNamed(organizationName)
    if (named.length > 1) throw new OrganizationAmbiguousError(organizationName)
    const account = await tx.users.lockAccountByEmail(email)
    if (account?.disabledAt != null) throw new AccountDisabledError(`The account ${email} is disabled`)
    if (account !== undefined && account.organizationId !== null && account.organizationId !== named[0]) throw new AccountInOtherOrganizationError(email)

    let organizationId = named[0]
    const organizationCreated = organizationId === undefined
    if (organizationId === undefined) {
      organizationId = newEventId()
      await tx.organizations.insert({ id: organizationId, name: organizationName, createdBy: null, now: ctx.now })
      await writeEvent(tx, organizationCreatedV1, { organizationId, name: organizationName, createdBy: null, createdAt: ctx.now.toISOString() }, organizationId, ctx)
      await tx.audit.record({ action: 'organization.create', outcome: 'success', organizationId, details: { name: organizationName, source: 'command' } }, ctx.now)
    }

    let userId: string
    let promoted = false
    let passwordSet = false
    if (account === undefined) {
      userId = newEventId()
      await tx.users.insertVerified({ id: userId, email, passwordHash, displayName, role: 'admin', organizationId, now: ctx.now })
      // No user.created: its subscribers would mail a verification link for an address already verified here.
      await writeEvent(tx, organizationMemberAddedV1, { organizationId, userId, role: 'admin', source: 'command', addedBy: null }, organizationId, ctx)
      passwordSet = true
    } else {
      userId = account.id
      if (account.emailVerifiedAt === null) {
        await tx.users.setPasswordVerified(userId, passwordHash, ctx.now)
        passwordSet = true
      }
      if (account.organizationId === null) {
        await admitToOrganization(tx, account, organizationId, 'admin', 'command', ctx)
        promoted = true
      } else if (account.role !== 'admin') {
        await changeRole(tx, account, organizationId, 'admin', ctx)
        promoted = true
      }
    }
    const outcome = { userId, organizationId, organizationCreated, userCreated: account === undefined, promoted, passwordSet }
    await tx.audit.record({ action: 'admin.create', outcome: 'success', subjectUserId: userId, organizationId, details: { source: 'command', organizationCreated, userCreated: outcome.userCreated, promoted, passwordSet } }, ctx.now)
    return outcome
  })
  deps.eventsWritten()
  if (result.promoted) await refuseTokensIssuedBefore(deps, result.userId, ctx.now)
  return result
}
