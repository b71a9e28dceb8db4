// Classrooms: a teacher (or an admin) creates them in their organization and gets a join code; the teacher
// sees their own, an admin all of the organization's, a student those they belong to. A classroom from
// another organization is "not found"; one of a colleague in the same organization is "forbidden".
import { and, asc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm'
import { classroomMembers, classrooms, users } from '@dreamseed/schema/auth'
import { classroomCreatedV1, classroomMemberRemovedV1, newEventId } from '@dreamseed/events'
import { sqlState, type AuthenticatedUser, type Role } from '@dreamseed/kit'
import type { AuthDeps } from './deps.js'
import { currentActor, lockAccounts, type Account } from './acting-user.js'
import { writeEvent, type ChangeContext } from './membership.js'
import type { RequestContext } from './organizations.js'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'
import { newJoinCode } from './join-code.js'
import type { Tx } from './verification-link.js'
import { ClassroomMemberNotFoundError, ClassroomNotFoundError, NoOrganizationError, NotClassroomTeacherError } from '../errors.js'

/** A classroom holds at most this many members, so its member list is one bounded answer. */
export const MAX_CLASSROOM_MEMBERS = 500
const CODE_ATTEMPTS = 5

export interface ClassroomView {
  id: string
  name: string
  organizationId: string
  teacher: { id: string, displayName: string }
  /** Only for the classroom's teacher and the organization's admins. */
  joinCode?: string
  memberCount: number
  createdAt: Date
}

export interface ClassroomMemberView {
  userId: string
  email: string
  displayName: string
  role: Role
  joinedAt: Date
}

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
type ClassroomRow = { id: string, name: string, organizationId: string, teacherId: string, teacherName: string, joinCode: string, createdAt: Date, memberCount: number }

const view = (row: ClassroomRow, showCode: boolean): ClassroomView => ({
  id: row.id,
  name: row.name,
  organizationId: row.organizationId,
  teacher: { id: row.teacherId, displayName: row.teacherName },
  ...(showCode ? { joinCode: row.joinCode } : {}),
  memberCount: row.memberCount,
  createdAt: row.createdAt
})

const changeContext = (deps: AuthDeps, user: AuthenticatedUser, request: RequestContext): ChangeContext => ({ actorId: user.id, client: request.client, requestId: request.requestId, now: deps.now() })

export async function createClassroom (deps: AuthDeps, user: AuthenticatedUser, input: { name: string }, request: RequestContext): Promise<ClassroomView> {
  const ctx = changeContext(deps, user, request)
  const name = input.name.trim()
  const created = await deps.db.transaction(async (tx) => {
    const teacher = currentActor(await lockAccounts(tx, [user.id]), user)
    const organizationId = teacher.organizationId
    if (organizationId === null) throw new NoOrganizationError()
    const id = newEventId()
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const joinCode = newJoinCode()
      const inserted = await tx.insert(classrooms).values({ id, organizationId, teacherId: teacher.id, name, joinCode, createdAt: ctx.now })
        .onConflictDoNothing({ target: classrooms.joinCode }).returning({ id: classrooms.id })
      if (inserted.length === 0) continue
      await writeEvent(tx, classroomCreatedV1, { classroomId: id, organizationId, teacherId: teacher.id, name, createdAt: ctx.now.toISOString() }, id, ctx)
      return view({ id, name, organizationId, teacherId: teacher.id, teacherName: teacher.displayName, joinCode, createdAt: ctx.now, memberCount: 0 }, true)
    }
    throw new Error(`no free join code after ${CODE_ATTEMPTS} attempts`)
  })
  deps.eventsWritten()
  return created
}

/** The classrooms a user sees, one page, in one query whatever its size. */
export async function listClassrooms (deps: AuthDeps, user: AuthenticatedUser, page: PageRequest): Promise<Page<ClassroomView>> {
  const limit = pageSize(page)
  if (user.organizationId === null && user.role !== 'student') return { items: [], nextCursor: null }
  const conditions: SQL[] = [isNull(classrooms.archivedAt)]
  if (page.cursor !== undefined) conditions.push(gt(classrooms.id, page.cursor))
  let query = deps.db.select(classroomColumns).from(classrooms).innerJoin(users, eq(users.id, classrooms.teacherId)).$dynamic()
  if (user.role === 'student') {
    query = query.innerJoin(classroomMembers, and(eq(classroomMembers.classroomId, classrooms.id), eq(classroomMembers.userId, user.id)))
  } else {
    conditions.push(eq(classrooms.organizationId, user.organizationId!))
    if (user.role === 'teacher') conditions.push(eq(classrooms.teacherId, user.id))
  }
  const rows = await query.where(and(...conditions)).orderBy(asc(classrooms.id)).limit(limit + 1)
  const shown = toPage(rows, limit)
  return { items: shown.items.map((r) => view(r, user.role !== 'student')), nextCursor: shown.nextCursor }
}

/** 404 for another organization's classroom, 403 for a colleague's. */
function assertManages (user: { id: string, role: Role, organizationId: string | null }, classroom: { organizationId: string, teacherId: string } | undefined): asserts classroom {
  if (classroom === undefined || classroom.organizationId !== user.organizationId) throw new ClassroomNotFoundError()
  if (user.role !== 'admin' && classroom.teacherId !== user.id) throw new NotClassroomTeacherError()
}

export async function getClassroom (deps: AuthDeps, user: AuthenticatedUser, classroomId: string): Promise<ClassroomView & { members: ClassroomMemberView[] }> {
  const [row] = await deps.db.select(classroomColumns).from(classrooms).innerJoin(users, eq(users.id, classrooms.teacherId))
    .where(and(eq(classrooms.id, classroomId), isNull(classrooms.archivedAt)))
  assertManages(user, row)
  const members = await deps.db.select({ userId: classroomMembers.userId, email: users.email, displayName: users.displayName, role: users.role, joinedAt: classroomMembers.joinedAt })
    .from(classroomMembers).innerJoin(users, eq(users.id, classroomMembers.userId))
    .where(eq(classroomMembers.classroomId, classroomId))
    .orderBy(asc(classroomMembers.joinedAt), asc(classroomMembers.userId))
    .limit(MAX_CLASSROOM_MEMBERS)
  return { ...view(row, true), members }
}

/** Locks the acting account and the classroom, and checks the actor may manage it. */
async function lockManagedClassroom (tx: Tx, user: AuthenticatedUser, classroomId: string): Promise<{ actor: Account, classroom: { id: string, organizationId: string, teacherId: string } }> {
  const actor = currentActor(await lockAccounts(tx, [user.id]), user)
  const [classroom] = await tx.select({ id: classrooms.id, organizationId: classrooms.organizationId, teacherId: classrooms.teacherId })
    .from(classrooms).where(and(eq(classrooms.id, classroomId), isNull(classrooms.archivedAt))).for('update')
  assertManages(actor, classroom)
  return { actor, classroom }
}

/** A new join code; the old one stops working at once. Students already in the classroom stay. */
export async function regenerateJoinCode (deps: AuthDeps, user: AuthenticatedUser, classroomId: string): Promise<{ joinCode: string }> {
  return await deps.db.transaction(async (tx) => {
    await lockManagedClassroom(tx, user, classroomId)
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const joinCode = newJoinCode()
      try {
        // A savepoint, so a taken code rolls back only this attempt.
        await tx.transaction(async (sp) => { await sp.update(classrooms).set({ joinCode }).where(eq(classrooms.id, classroomId)) })
        return { joinCode }
      } catch (err) {
        if (sqlState(err) !== '23505') throw err
      }
    }
    throw new Error(`no free join code after ${CODE_ATTEMPTS} attempts`)
  })
}

/** Removes a member from the classroom; they stay in the organization. */
export async function removeClassroomMember (deps: AuthDeps, user: AuthenticatedUser, classroomId: string, memberId: string, request: RequestContext): Promise<void> {
  const ctx = changeContext(deps, user, request)
  await deps.db.transaction(async (tx) => {
    const { actor, classroom } = await lockManagedClassroom(tx, user, classroomId)
    const [removed] = await tx.delete(classroomMembers).where(and(eq(classroomMembers.classroomId, classroomId), eq(classroomMembers.userId, memberId))).returning({ userId: classroomMembers.userId })
    if (removed === undefined) throw new ClassroomMemberNotFoundError()
    const [member] = await tx.select({ role: users.role }).from(users).where(eq(users.id, memberId))
    await writeEvent(tx, classroomMemberRemovedV1, { classroomId, organizationId: classroom.organizationId, userId: memberId, role: member!.role, removedBy: actor.id, removedAt: ctx.now.toISOString() }, classroomId, ctx)
  })
  deps.eventsWritten()
}
