// Classrooms and their members: created with a unique join code, listed for who may see them, read with their
// members, locked for a change, found by join code, joined and left.
import { and, asc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm'
import { classroomMembers, classrooms, users } from '@dreamseed/schema/auth'
import { pageSize, sqlState, toPage, type Page, type PageRequest, type Role } from '@dreamseed/kit'
import type { Executor } from '@dreamseed/kit'

export interface ClassroomRow { id: string, name: string, organizationId: string, teacherId: string, teacherName: string, joinCode: string, createdAt: Date, memberCount: number }

export interface ClassroomMemberView {
  userId: string
  email: string
  displayName: string
  role: Role
  joinedAt: Date
}

/** Whose classrooms a list shows: a student's own, else an organization's, or only one teacher's there. */
export type ClassroomScope = { memberId: string } | { organizationId: string, teacherId?: string }

const classroomColumns = {
  id: classrooms.id,
  name: classrooms.name,
  organizationId: classrooms.organizationId,
  teacherId: classrooms.teacherId,
  teacherName: users.displayName,
  joinCode: classrooms.joinCode,
  createdAt: classrooms.createdAt,
  memberCount: sql<number>`(select count(*)::int from auth.classroom_members cm where cm.classroom_id = ${classrooms.id})`
}

export function createClassroomsRepository (db: Executor) {
  return {
    /** Returns false, writing nothing, when another classroom has the join code. */
    insertIfCodeFree: async (classroom: { id: string, organizationId: string, teacherId: string, name: string, joinCode: string, now: Date }): Promise<boolean> => {
      const { now, ...fields } = classroom
      const inserted = await db.insert(classrooms).values({ ...fields, createdAt: now })
        .onConflictDoNothing({ target: classrooms.joinCode }).returning({ id: classrooms.id })
      return inserted.length > 0
    },

    /** One page of the classrooms in scope (archived ones left out), in one query whatever its size. */
    list: async (scope: ClassroomScope, page: PageRequest): Promise<Page<ClassroomRow>> => {
      const limit = pageSize(page)
      const conditions: SQL[] = [isNull(classrooms.archivedAt)]
      if (page.cursor !== undefined) conditions.push(gt(classrooms.id, page.cursor))
      let query = db.select(classroomColumns).from(classrooms).innerJoin(users, eq(users.id, classrooms.teacherId)).$dynamic()
      if ('memberId' in scope) {
        query = query.innerJoin(classroomMembers, and(eq(classroomMembers.classroomId, classrooms.id), eq(classroomMembers.userId, scope.memberId)))
      } else {
        conditions.push(eq(classrooms.organizationId, scope.organizationId))
        if (scope.teacherId !== undefined) conditions.push(eq(classrooms.teacherId, scope.teacherId))
      }
      const rows = await query.where(and(...conditions)).orderBy(asc(classrooms.id)).limit(limit + 1)
      return toPage(rows, limit)
    },

    find: async (id: string): Promise<ClassroomRow | undefined> => {
      const [row] = await db.select(classroomColumns).from(classrooms).innerJoin(users, eq(users.id, classrooms.teacherId))
        .where(and(eq(classrooms.id, id), isNull(classrooms.archivedAt)))
      return row
    },

    /** The members in the order they joined, `limit` at most. */
    members: async (id: string, limit: number): Promise<ClassroomMemberView[]> => {
      return await db.select({ userId: classroomMembers.userId, email: users.email, displayName: users.displayName, role: users.role, joinedAt: classroomMembers.joinedAt })
        .from(classroomMembers).innerJoin(users, eq(users.id, classroomMembers.userId))
        .where(eq(classroomMembers.classroomId, id))
        .orderBy(asc(classroomMembers.joinedAt), asc(classroomMembers.userId))
        .limit(limit)
    },

    lock: async (id: string): Promise<{ id: string, organizationId: string, teacherId: string } | undefined> => {
      const [classroom] = await db.select({ id: classrooms.id, organizationId: classrooms.organizationId, teacherId: classrooms.teacherId })
        .from(classrooms).where(and(eq(classrooms.id, id), isNull(classrooms.archivedAt))).for('update')
      return classroom
    },

    lockByJoinCode: async (joinCode: string): Promise<{ id: string, name: string, organizationId: string } | undefined> => {
      const [classroom] = await db.select({ id: classrooms.id, name: classrooms.name, organizationId: classrooms.organizationId })
        .from(classrooms).where(and(eq(classrooms.joinCode, joinCode), isNull(classrooms.archivedAt))).for('update')
      return classroom
    },

    /** Returns false, changing nothing, when another classroom has the join code. */
    setJoinCodeIfFree: async (id: string, joinCode: string): Promise<boolean> => {
      try {
        // A savepoint, so a taken code rolls back only this attempt.
        await db.transaction(async (sp) => { await sp.update(classrooms).set({ joinCode }).where(eq(classrooms.id, id)) })
        return true
      } catch (err) {
        if (sqlState(err) !== '23505') throw err
        return false
      }
    },

    /** How many members the classroom has, and whether `userId` is one of them. */
    memberCount: async (id: string, userId: string): Promise<{ total: number, isMember: boolean }> => {
      const [counts] = await db.select({
        total: sql<number>`count(*)::int`,
        mine: sql<number>`count(*) filter (where ${classroomMembers.userId} = ${userId})::int`
      }).from(classroomMembers).where(eq(classroomMembers.classroomId, id))
      return { total: counts?.total ?? 0, isMember: (counts?.mine ?? 0) > 0 }
    },

    addMember: async (id: string, userId: string, now: Date): Promise<void> => {
      await db.insert(classroomMembers).values({ classroomId: id, userId, joinedAt: now })
    },

    /** Whether the user is a member of one of the teacher's classrooms (archived ones left out). */
    teaches: async (teacherId: string, userId: string): Promise<boolean> => {
      const [row] = await db.select({ one: sql<number>`1` }).from(classrooms)
        .innerJoin(classroomMembers, and(eq(classroomMembers.classroomId, classrooms.id), eq(classroomMembers.userId, userId)))
        .where(and(eq(classrooms.teacherId, teacherId), isNull(classrooms.archivedAt))).limit(1)
      return row !== undefined
    },

    /** Returns false when the user was not a member. */
    removeMember: async (id: string, userId: string): Promise<boolean> => {
      const removed = await db.delete(classroomMembers).where(and(eq(classroomMembers.classroomId, id), eq(classroomMembers.userId, userId))).returning({ userId: classroomMembers.userId })
      return removed.length > 0
    }
  }
}

export type ClassroomsRepository = ReturnType<typeof createClassroomsRepository>
