// The failures of organizations, invitations, memberships, roles and classrooms, each with a stable code.
import { AppError, AuthenticationError, AuthorizationError, ConflictError, NotFoundError } from '@dreamseed/kit'

export class AlreadyMemberError extends ConflictError {
  constructor () { super('AUTH_ALREADY_MEMBER', 'You already belong to this organization') }
}
export class InAnotherOrganizationError extends ConflictError {
  constructor () { super('AUTH_ALREADY_IN_ORGANIZATION', 'You already belong to another organization; an account belongs to one at most') }
}
export class InvitationNotFoundError extends NotFoundError {
  // One answer for an unknown id, another address's invitation, and one already accepted, declined or withdrawn.
  constructor () { super('AUTH_INVITATION_NOT_FOUND', 'No such invitation is open') }
}
export class InvitationExpiredError extends AppError {
  constructor () { super('AUTH_INVITATION_EXPIRED', 'This invitation has expired; ask the organization\'s admin for a new one', 410) }
}
export class InvitationWithdrawnError extends AppError {
  constructor () { super('AUTH_INVITATION_WITHDRAWN', 'Whoever sent this invitation is no longer an admin of the organization; ask its admins for a new one', 410) }
}
export class TooManyInvitationsError extends ConflictError {
  constructor (max: number) { super('AUTH_TOO_MANY_INVITATIONS', `Your organization has ${max} pending invitations; withdraw some or wait until they expire`) }
}
export class UserNotFoundError extends NotFoundError {
  constructor () { super('AUTH_USER_NOT_FOUND', 'No such user in your organization') }
}
export class OwnAccountError extends AuthorizationError {
  constructor () { super('AUTH_OWN_ACCOUNT', 'You cannot change your own role or disable yourself; ask another admin') }
}
export class NoOrganizationError extends AuthorizationError {
  constructor () { super('AUTH_NO_ORGANIZATION', 'You belong to no organization yet; ask your school\'s admin to invite you') }
}
export class OtherOrganizationError extends AuthorizationError {
  constructor () { super('AUTH_OTHER_ORGANIZATION', 'This classroom belongs to another organization than yours') }
}
export class TokenStaleError extends AuthenticationError {
  constructor () { super('AUTH_TOKEN_STALE', 'Your role or organization has changed; refresh your access token') }
}
export class AccountRevokedError extends AuthenticationError {
  constructor () { super('AUTH_SESSION_REVOKED', 'This session has ended; sign in again') }
}
export class ClassroomNotFoundError extends NotFoundError {
  constructor () { super('AUTH_CLASSROOM_NOT_FOUND', 'No such classroom') }
}
export class NotClassroomTeacherError extends AuthorizationError {
  constructor () { super('AUTH_NOT_CLASSROOM_TEACHER', 'Only the classroom\'s teacher or an admin of its organization may do this') }
}
export class ClassroomMemberNotFoundError extends NotFoundError {
  constructor () { super('AUTH_CLASSROOM_MEMBER_NOT_FOUND', 'This user is not a member of the classroom') }
}
export class JoinCodeInvalidError extends NotFoundError {
  constructor () { super('AUTH_JOIN_CODE_INVALID', 'No classroom has this join code; check it with your teacher') }
}
export class ClassroomFullError extends ConflictError {
  constructor (max: number) { super('AUTH_CLASSROOM_FULL', `This classroom has reached ${max} members`) }
}
