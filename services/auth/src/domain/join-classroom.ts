// A student joins a classroom with its join code. A student in no organization yet enters the classroom's
// organization; a student of another organization is refused. Joining twice is harmless.
import { classroomMemberAddedV1 } from '@dreamseed/events'
import { SessionRevokedError, type AuthenticatedUser } from '@dreamseed/kit'
import type { AuthDeps, RequestContext } from './deps.js'
import { MAX_CLASSROOM_MEMBERS } from './classrooms.js'
import { normalizeJoinCode } from './join-code.js'
import { ClassroomFullError, JoinCodeInvalidError, OtherOrganizationError, TokenStaleError } from '../errors.js'
import { admitToOrganization, changeContext, writeEvent } from './membership.js'

export interface Joined {
  classroom: { id: string, name: string, organizationId: string }
  alreadyMember: boolean
  /** True when joining put the student into the classroom's organization (refresh the access token to carry it). */
  joinedOrganization: boolean
}

export async function joinClassroom (deps: AuthDeps, user: AuthenticatedUser, typedCode: string, request: RequestContext): Promise<Joined> {
  const code = normalizeJoinCode(typedCode)
  if (code === null) throw new JoinCodeInvalidError()
  const ctx = changeContext(deps, user.id, request)
  const joined = await deps.repos.transaction(async (tx) => {
    // The student's row is locked, so two joins at once cannot put them into two organizations; the token's
    // organization is not compared: a student who just joined one still holds a token without it.
    const student = (await tx.users.lockAccounts([user.id])).get(user.id)
    if (student === undefined || student.disabledAt !== null) throw new SessionRevokedError()
    if (student.role !== 'student') throw new TokenStaleError()
    const classroom = await tx.classrooms.lockByJoinCode(code)
    if (classroom === undefined) throw new JoinCodeInvalidError()
    if (student.organizationId !== null && student.organizationId !== classroom.organizationId) throw new OtherOrganizationError()
    const members = await tx.classrooms.memberCount(classroom.id, student.id)
    if (members.isMember) return { classroom, alreadyMember: true, joinedOrganization: false }
    if (members.total >= MAX_CLASSROOM_MEMBERS) throw new ClassroomFullError(MAX_CLASSROOM_MEMBERS)
    await tx.classrooms.addMember(classroom.id, student.id, ctx.now)
    await writeEvent(tx, classroomMemberAddedV1, { classroomId: classroom.id, organizationId: classroom.organizationId, userId: student.id, role: student.role, joinedAt: ctx.now.toISOString() }, classroom.id, ctx)
    const joinedOrganization = student.organizationId === null
    if (joinedOrganization) await admitToOrganization(tx, student, classroom.organizationId, 'student', 'classroom', ctx)
    return { classroom, alreadyMember: false, joinedOrganization }
  })
  if (!joined.alreadyMember) deps.eventsWritten()
  return joined
}
