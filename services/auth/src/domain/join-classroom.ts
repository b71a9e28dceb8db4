// A student joins a classroom with its join code. A student in no organization yet enters the classroom's
// organization; a student of another organization is refused. Joining twice is harmless.
import { and, eq, isNull, sql } from 'drizzle-orm'
import { classroomMembers, classrooms } from '@dreamseed/schema/auth'
import { classroomMemberAddedV1 } from '@dreamseed/events'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { AuthDeps } from './deps.js'
import { lockAccounts } from './acting-user.js'
import { admitToOrganization, writeEvent, type ChangeContext } from './membership.js'
import type { RequestContext } from './organizations.js'
import { MAX_CLASSROOM_MEMBERS } from './classrooms.js'
import { normalizeJoinCode } from './join-code.js'
import { ClassroomFullError, JoinCodeInvalidError, OtherOrganizationError, TokenStaleError } from '../errors.js'
import { SessionRevokedError } from '@dreamseed/kit'

export interface Joined {
  classroom: { id: string, name: string, organizationId: string }
  alreadyMember: boolean
  /** True when joining put the student into the classroom's organization (refresh the access token to carry it). */
  joinedOrganization: boolean
}

export async function joinClassroom (deps: AuthDeps, user: AuthenticatedUser, typedCode: string, request: RequestContext): Promise<Joined> {
  const code = normalizeJoinCode(typedCode)
  if (code === null) throw new JoinCodeInvalidError()
  const ctx: ChangeContext = { actorId: user.id, client: request.client, requestId: request.requestId, now: deps.now() }
  const joined = await deps.db.transaction(async (tx) => {
    // The student's row is locked, so two joins at once cannot put them into two organizations; the token's
    // organization is not compared: a student who just joined one still holds a token without it.
    const student = (await lockAccounts(tx, [user.id])).get(user.id)
    if (student === undefined || student.disabledAt !== null) throw new SessionRevokedError()
    if (student.role !== 'student') throw new TokenStaleError()
    const [classroom] = await tx.select({ id: classrooms.id, name: classrooms.name, organizationId: classrooms.organizationId })
      .from(classrooms).where(and(eq(classrooms.joinCode, code), isNull(classrooms.archivedAt))).for('update')
    if (classroom === undefined) throw new JoinCodeInvalidError()
    if (student.organizationId !== null && student.organizationId !== classroom.organizationId) throw new OtherOrganizationError()
    const [counts] = await tx.select({
      total: sql<number>`count(*)::int`,
      mine: sql<number>`count(*) filter (where ${classroomMembers.userId} = ${student.id})::int`
    }).from(classroomMembers).where(eq(classroomMembers.classroomId, classroom.id))
    if ((counts?.mine ?? 0) > 0) return { classroom, alreadyMember: true, joinedOrganization: false }
    if ((counts?.total ?? 0) >= MAX_CLASSROOM_MEMBERS) throw new ClassroomFullError(MAX_CLASSROOM_MEMBERS)
    await tx.insert(classroomMembers).values({ classroomId: classroom.id, userId: student.id, joinedAt: ctx.now })
    await writeEvent(tx, classroomMemberAddedV1, { classroomId: classroom.id, organizationId: classroom.organizationId, userId: student.id, role: student.role, joinedAt: ctx.now.toISOString() }, classroom.id, ctx)
    const joinedOrganization = student.organizationId === null
    if (joinedOrganization) await admitToOrganization(tx, student, classroom.organizationId, 'student', 'classroom', ctx)
    return { classroom, alreadyMember: false, joinedOrganization }
  })
  if (!joined.alreadyMember) deps.eventsWritten()
  return joined
}
