// Invitations into an organization: one per (organization, address), refreshed when the address is invited
// again, counted per inviting organization, listed for the admins and for the invited address, and deleted
// once accepted, declined, withdrawn or expired.
import { and, asc, count, eq, gt, lte } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { invitations, organizations, users } from '@dreamseed/schema/auth'
import { newEventId } from '@dreamseed/events'
import { pageSize, toPage, type Page, type PageRequest, type Role } from '@dreamseed/kit'
import type { Executor } from '@dreamseed/kit'

export type InvitedRole = 'teacher' | 'admin'

export interface InvitationView {
  id: string
  organizationId: string
  email: string
  role: InvitedRole
  expiresAt: Date
}

export interface PendingInvitation extends InvitationView {
  invitedBy: string
  createdAt: Date
}

export interface ReceivedInvitation {
  id: string
  organization: { id: string, name: string }
  role: Role
  invitedBy: { id: string, displayName: string }
  expiresAt: Date
  createdAt: Date
}

const me = alias(users, 'me')
const inviter = alias(users, 'inviter')
// Postgres wants FOR UPDATE OF to name a relation without its schema: an alias names only the invitation row.
const locked = alias(invitations, 'invitation')

export function createInvitationsRepository (db: Executor) {
  return {
    deleteExpired: async (inviterOrganizationId: string, now: Date): Promise<void> => {
      await db.delete(invitations).where(and(eq(invitations.inviterOrganizationId, inviterOrganizationId), lte(invitations.expiresAt, now)))
    },

    /** The invitation of `email` into the organization, locked, if there is one. */
    lockFor: async (organizationId: string, email: string): Promise<{ id: string, mailedAt: Date } | undefined> => {
      const [existing] = await db.select({ id: invitations.id, mailedAt: invitations.mailedAt }).from(invitations)
        .where(and(eq(invitations.organizationId, organizationId), eq(invitations.email, email))).for('update')
      return existing
    },

    /** Invitations an organization's admins have out (expired ones included until deleted). */
    countSentBy: async (inviterOrganizationId: string): Promise<number> => {
      const [pending] = await db.select({ n: count() }).from(invitations).where(eq(invitations.inviterOrganizationId, inviterOrganizationId))
      return pending?.n ?? 0
    },

    /** Writes the invitation, or refreshes the one there (role, inviter, expiry; the time mailed only if `mailedAt`). Returns its id. */
    upsert: async (invitation: { organizationId: string, email: string, role: InvitedRole, invitedBy: string, inviterOrganizationId: string, expiresAt: Date, mailedAt?: Date, now: Date }): Promise<string> => {
      const { organizationId, email, now, ...fields } = invitation
      const [row] = await db.insert(invitations).values({ id: newEventId(), organizationId, email, mailedAt: now, createdAt: now, ...fields })
        .onConflictDoUpdate({ target: [invitations.organizationId, invitations.email], set: fields })
        .returning({ id: invitations.id })
      return row!.id
    },

    /** The organization's invitations still open, a page at a time. */
    listOpen: async (organizationId: string, now: Date, page: PageRequest): Promise<Page<PendingInvitation>> => {
      const limit = pageSize(page)
      const conditions = [eq(invitations.organizationId, organizationId), gt(invitations.expiresAt, now)]
      if (page.cursor !== undefined) conditions.push(gt(invitations.id, page.cursor))
      const rows = await db.select({ id: invitations.id, organizationId: invitations.organizationId, email: invitations.email, role: invitations.role, invitedBy: invitations.invitedBy, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
        .from(invitations).where(and(...conditions)).orderBy(asc(invitations.id)).limit(limit + 1)
      return toPage(rows.map((r) => ({ ...r, role: r.role as InvitedRole })), limit)
    },

    /** The invitations open for a user's address, oldest first, in one query per page. */
    listReceived: async (userId: string, now: Date, page: PageRequest): Promise<Page<ReceivedInvitation>> => {
      const limit = pageSize(page)
      const conditions = [eq(me.id, userId), gt(invitations.expiresAt, now)]
      if (page.cursor !== undefined) conditions.push(gt(invitations.id, page.cursor))
      const rows = await db.select({
        id: invitations.id,
        organization: { id: organizations.id, name: organizations.name },
        role: invitations.role,
        invitedBy: { id: inviter.id, displayName: inviter.displayName },
        expiresAt: invitations.expiresAt,
        createdAt: invitations.createdAt
      }).from(invitations)
        .innerJoin(me, eq(me.email, invitations.email))
        .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
        .innerJoin(inviter, eq(inviter.id, invitations.invitedBy))
        .where(and(...conditions)).orderBy(asc(invitations.id)).limit(limit + 1)
      return toPage(rows, limit)
    },

    /** The invitation, locked, with its organization's name and its inviter as they are now (read, not locked). */
    lockWithInviter: async (id: string) => {
      const [invitation] = await db.select({
        id: locked.id,
        email: locked.email,
        role: locked.role,
        organizationId: locked.organizationId,
        organizationName: organizations.name,
        inviterOrganizationId: locked.inviterOrganizationId,
        expiresAt: locked.expiresAt,
        inviter: { id: inviter.id, role: inviter.role, organizationId: inviter.organizationId, disabledAt: inviter.disabledAt }
      }).from(locked)
        .innerJoin(organizations, eq(organizations.id, locked.organizationId))
        .innerJoin(inviter, eq(inviter.id, locked.invitedBy))
        .where(eq(locked.id, id)).for('update', { of: locked })
      return invitation
    },

    /** Deletes one of the organization's invitations; returns what it was, or undefined when there was none. */
    deleteOf: async (id: string, organizationId: string): Promise<{ email: string, role: Role } | undefined> => {
      const [gone] = await db.delete(invitations).where(and(eq(invitations.id, id), eq(invitations.organizationId, organizationId)))
        .returning({ email: invitations.email, role: invitations.role })
      return gone
    },

    delete: async (id: string): Promise<void> => {
      await db.delete(invitations).where(eq(invitations.id, id))
    }
  }
}

export type InvitationsRepository = ReturnType<typeof createInvitationsRepository>
