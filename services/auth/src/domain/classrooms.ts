// Classrooms: a teacher (or an admin) creates them in their organization and gets a join code; the teacher
// sees their own, an admin all of the organization's, a student those they belong to. A classroom from
// another organization is "not found"; one of a colleague in the same organization is "forbidden".
import { classroomCreatedV1, classroomMemberRemovedV1, newEventId } from '@dreamseed/events'
import type { AuthenticatedUser, Page, PageRequest, Role } from '@dreamseed/kit'
import type { ClassroomMemberView, ClassroomRow } from '../repositories/classrooms-repository.js'
import type { Repositories } from '../repositories/index.js'
import type { Account } from '../repositories/users-repository.js'
import type { AuthDeps, RequestContext } from './deps.js'
import { lockActor } from './acting-user.js'
import { changeContext, writeEvent } from './membership.js'
import { newJoinCode } from './join-code.js'
import { ClassroomMemberNotFoundError, ClassroomNotFoundError, NoOrganizationError, NotClassroomTeacherError } from '../errors.js'

export type { ClassroomMemberView }

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

const view = (row: ClassroomRow, showCode: boolean): ClassroomView => ({
  id: row.id,
  name: row.name,
  organizationId: row.organizationId,
  teacher: { id: row.teacherId, displayName: row.teacherName },
  ...(showCode ? { joinCode: row.joinCode } : {}),
  memberCount: row.memberCount,
  createdAt: row.createdAt
})

/** Tries fresh codes until one is free (another classroom may hold one), CODE_ATTEMPTS at most. */
async function withFreeJoinCode<R> (tryCode: (joinCode: string) => Promise<R | undefined>): Promise<R> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const done = await tryCode(newJoinCode())
    if (done !== undefined) return done
  }
  throw new Error(`no free join code after ${CODE_ATTEMPTS} attempts`)
}

export async function createClassroom (deps: AuthDeps, user: AuthenticatedUser, input: { name: string }, request: RequestContext): Promise<ClassroomView> {
  const ctx = changeContext(deps, user.id, request)
  const name = input.name.trim()
  const created = await deps.repos.transaction(async (tx) => {
    const teacher = await lockActor(tx, user)
    const organizationId = teacher.organizationId
    if (organizationId === null) throw new NoOrganizationError()
    const id = newEventId()
    return await withFreeJoinCode(async (joinCode) => {
      if (!await tx.classrooms.insertIfCodeFree({ id, organizationId, teacherId: teacher.id, name, joinCode, now: ctx.now })) return undefined
      await writeEvent(tx, classroomCreatedV1, { classroomId: id, organizationId, teacherId: teacher.id, name, createdAt: ctx.now.toISOString() }, id, ctx)
      return view({ id, name, organizationId, teacherId: teacher.id, teacherName: teacher.displayName, joinCode, createdAt: ctx.now, memberCount: 0 }, true)
    })
  })
  deps.eventsWritten()
  return created
}

/** The classrooms a user sees, one page, in one query whatever its size. */
export async function listClassrooms (deps: AuthDeps, user: AuthenticatedUser, page: PageRequest): Promise<Page<ClassroomView>> {
  if (user.organizationId === null && user.role !== 'student') return { items: [], nextCursor: null }
  const scope = user.role === 'student'
    ? { memberId: user.id }
    : { organizationId: user.organizationId!, ...(user.role === 'teacher' ? { teacherId: user.id } : {}) }
  const shown = await deps.repos.classrooms.list(scope, page)
  return { items: shown.items.map((r) => view(r, user.role !== 'student')), nextCursor: shown.nextCursor }
}

/** 404 for another organization's classroom, 403 for a colleague's. */
function assertManages (user: { id: string, role: Role, organizationId: string | null }, classroom: { organizationId: string, teacherId: string } | undefined): asserts classroom {
  if (classroom === undefined || classroom.organizationId !== user.organizationId) throw new ClassroomNotFoundError()
  if (user.role !== 'admin' && classroom.teacherId !== user.id) throw new NotClassroomTeacherError()
}

export async function getClassroom (deps: AuthDeps, user: AuthenticatedUser, classroomId: string): Promise<ClassroomView & { members: ClassroomMemberView[] }> {
  const row = await deps.repos.classrooms.find(classroomId)
  assertManages(user, row)
  const members = await deps.repos.classrooms.members(classroomId, MAX_CLASSROOM_MEMBERS)
  return { ...view(row, true), members }
}

/** Locks the acting account and the classroom, and checks the actor may manage it. */
async function lockManagedClassroom (tx: Repositories, user: AuthenticatedUser, classroomId: string): Promise<{ actor: Account, classroom: { id: string, organizationId: string, teacherId: string } }> {
  const actor = await lockActor(tx, user)
  const classroom = await tx.classrooms.lock(classroomId)
  assertManages(actor, classroom)
  return { actor, classroom }
}

/** A new join code; the old one stops working at once. Students already in the classroom stay. */
export async function regenerateJoinCode (deps: AuthDeps, user: AuthenticatedUser, classroomId: string): Promise<{ joinCode: string }> {
  return await deps.repos.transaction(async (tx) => {
    await lockManagedClassroom(tx, user, classroomId)
    return await withFreeJoinCode(async (joinCode) => await tx.classrooms.setJoinCodeIfFree(classroomId, joinCode) ? { joinCode } : undefined)
  })
}

/** Removes a member from the classroom; they stay in the organization. */
export async function removeClassroomMember (deps: AuthDeps, user: AuthenticatedUser, classroomId: string, memberId: string, request: RequestContext): Promise<void> {
  const ctx = changeContext(deps, user.id, request)
  await deps.repos.transaction(async (tx) => {
    const { actor, classroom } = await lockManagedClassroom(tx, user, classroomId)
    if (!await tx.classrooms.removeMember(classroomId, memberId)) throw new ClassroomMemberNotFoundError()
    const role = await tx.users.roleOf(memberId)
    await writeEvent(tx, classroomMemberRemovedV1, { classroomId, organizationId: classroom.organizationId, userId: memberId, role: role!, removedBy: actor.id, removedAt: ctx.now.toISOString() }, classroomId, ctx)
  })
  deps.eventsWritten()
}
