// Accounts: found by address or id, locked for a change, registered, verified, given a password, a role, an
// organization, a display name, or disabled.
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { users } from '@dreamseed/schema/auth'
import { newEventId } from '@dreamseed/events'
import { pageSize, runPrepared, toPage, type Page, type PageRequest, type Role } from '@dreamseed/kit'
import type { Executor } from '@dreamseed/kit'

const accountColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  organizationId: users.organizationId,
  emailVerifiedAt: users.emailVerifiedAt,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt
}

export interface Account {
  id: string
  email: string
  displayName: string
  role: Role
  organizationId: string | null
  emailVerifiedAt: Date | null
  disabledAt: Date | null
  createdAt: Date
}

export type MemberView = Omit<Account, 'emailVerifiedAt'>

const memberColumns = { id: users.id, email: users.email, displayName: users.displayName, role: users.role, organizationId: users.organizationId, disabledAt: users.disabledAt, createdAt: users.createdAt }
const profileColumns = { id: users.id, email: users.email, displayName: users.displayName, role: users.role, organizationId: users.organizationId, emailVerifiedAt: users.emailVerifiedAt, createdAt: users.createdAt }

/** An account as registration finds it, locked: what it was before this registration, and whether it took it. */
// A type, not an interface: drizzle's execute wants rows with an index signature.
export type RegisteredAccount = {
  id: string
  display_name: string
  role: Role
  organization_id: string | null
  verified: boolean
  disabled: boolean
  replaced: boolean
}

export type UserRow = typeof users.$inferSelect

export function createUsersRepository (db: Executor) {
  return {
    findByEmail: async (email: string): Promise<UserRow | undefined> => {
      // Prepared (as every statement of registration and login): one round trip instead of two (kit's runPrepared).
      const [user] = await db.select().from(users).where(eq(users.email, email)).prepare('auth_user_by_email').execute()
      return user
    },

    /** Locked; what asking for a mail (a verification link, a reset link) needs to know. */
    lockByEmail: async (email: string) => {
      const [user] = await db.select({ id: users.id, displayName: users.displayName, verifiedAt: users.emailVerifiedAt, disabledAt: users.disabledAt })
        .from(users).where(eq(users.email, email)).for('update')
      return user
    },

    /** Locks the accounts (in id order, so concurrent changes cannot deadlock) and returns them by id. */
    lockAccounts: async (ids: string[]): Promise<Map<string, Account>> => {
      const unique = [...new Set(ids)].sort()
      const rows = await db.select(accountColumns).from(users).where(inArray(users.id, unique)).orderBy(users.id).for('update')
      return new Map(rows.map((r) => [r.id, r]))
    },

    lockAccountByEmail: async (email: string): Promise<Account | undefined> => {
      const [account] = await db.select(accountColumns).from(users).where(eq(users.email, email)).for('update')
      return account
    },

    /** What a password change and a password reset work on; locked for the reset's transaction. */
    findCredentials: async (id: string, options: { lock: boolean }) => {
      const query = db.select({ id: users.id, email: users.email, displayName: users.displayName, organizationId: users.organizationId, passwordHash: users.passwordHash, disabledAt: users.disabledAt, verifiedAt: users.emailVerifiedAt })
        .from(users).where(eq(users.id, id))
      const [user] = options.lock ? await query.for('update') : await query
      return user
    },

    profile: async (id: string) => {
      const [user] = await db.select(profileColumns).from(users).where(eq(users.id, id))
      return user
    },

    setDisplayName: async (id: string, displayName: string, now: Date) => {
      const [user] = await db.update(users).set({ displayName, updatedAt: now }).where(eq(users.id, id)).returning(profileColumns)
      return user
    },

    /** An organization's accounts in id order, a page at a time. */
    listByOrganization: async (organizationId: string, page: PageRequest): Promise<Page<MemberView>> => {
      const limit = pageSize(page)
      const conditions = [eq(users.organizationId, organizationId)]
      if (page.cursor !== undefined) conditions.push(gt(users.id, page.cursor))
      const rows = await db.select(memberColumns).from(users).where(and(...conditions)).orderBy(asc(users.id)).limit(limit + 1)
      return toPage(rows, limit)
    },

    roleOf: async (id: string): Promise<Role | undefined> => {
      const [user] = await db.select({ role: users.role }).from(users).where(eq(users.id, id))
      return user?.role
    },

    /** Returns whether the address was new. */
    insertIfNew: async (user: { email: string, passwordHash: string, displayName: string, role: Role, now: Date }): Promise<boolean> => {
      const { now, ...fields } = user
      const inserted = await db.insert(users).values({ id: newEventId(), ...fields, createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id })
        .prepare('auth_user_insert_if_new').execute()
      return inserted.length === 1
    },

    /**
     * In one statement: locks the account of the address and, unless it was `created` just now or has been
     * verified or disabled, gives it this registration's password, display name and role (the role only while
     * it belongs to no organization). Returns the account as it was, and whether it took the registration.
     */
    lockAndTakeRegistration: async (input: { email: string, passwordHash: string, displayName: string, role: Role, created: boolean, now: Date }): Promise<RegisteredAccount | undefined> => {
      const [account] = await runPrepared<RegisteredAccount>(db, sql`
        with old as (
          select id, display_name, role, organization_id, email_verified_at is not null as verified, disabled_at is not null as disabled
          from auth.users where email = ${input.email} for update
        ), replaced as (
          update auth.users u set password_hash = ${input.passwordHash}, display_name = ${input.displayName}, updated_at = ${input.now.toISOString()}::timestamptz,
            role = case when old.organization_id is null then ${input.role}::auth.user_role else u.role end
          from old where u.id = old.id and not old.verified and not old.disabled and not ${input.created}::boolean
          returning u.id
        )
        select old.*, exists (select 1 from replaced) as replaced from old`)
      return account
    },

    /** An account the admin command creates: verified, in its organization. */
    insertVerified: async (user: { id: string, email: string, passwordHash: string, displayName: string, role: Role, organizationId: string, now: Date }): Promise<void> => {
      const { now, ...fields } = user
      await db.insert(users).values({ ...fields, emailVerifiedAt: now, createdAt: now, updatedAt: now })
    },

    /**
     * Verifies the address only if the password is still `passwordHash` (the one just checked: a registration
     * of the address in between replaced it) and it was not verified yet; returns the account if it did.
     */
    verifyIfPassword: async (id: string, passwordHash: string, now: Date) => {
      const [user] = await db.update(users).set({ emailVerifiedAt: now, updatedAt: now })
        .where(and(eq(users.id, id), isNull(users.emailVerifiedAt), eq(users.passwordHash, passwordHash)))
        .returning({ id: users.id, email: users.email })
      return user
    },

    lockVerification: async (id: string) => {
      const [user] = await db.select({ email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, id)).for('update')
      return user
    },

    markVerified: async (id: string, now: Date): Promise<void> => {
      await db.update(users).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, id))
    },

    /** A new hash with the same password (a login upgrading old parameters): not a password change. */
    rehash: async (id: string, passwordHash: string, now: Date): Promise<void> => {
      await db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, id))
    },

    /** Returns false when `replacing` is given and the stored hash is no longer it. */
    setPassword: async (id: string, passwordHash: string, now: Date, replacing?: string): Promise<boolean> => {
      const where = replacing === undefined ? eq(users.id, id) : and(eq(users.id, id), eq(users.passwordHash, replacing))
      const updated = await db.update(users).set({ passwordHash, passwordChangedAt: now, updatedAt: now }).where(where).returning({ id: users.id })
      return updated.length > 0
    },

    /** The admin command's password for an account never verified: it verifies the address too. */
    setPasswordVerified: async (id: string, passwordHash: string, now: Date): Promise<void> => {
      await db.update(users).set({ passwordHash, emailVerifiedAt: now, passwordChangedAt: now, updatedAt: now }).where(eq(users.id, id))
    },

    setMembership: async (id: string, membership: { organizationId?: string, role: Role }, now: Date): Promise<void> => {
      await db.update(users).set({ ...membership, updatedAt: now }).where(eq(users.id, id))
    },

    disable: async (id: string, now: Date): Promise<void> => {
      await db.update(users).set({ disabledAt: now, updatedAt: now }).where(eq(users.id, id))
    }
  }
}

export type UsersRepository = ReturnType<typeof createUsersRepository>
