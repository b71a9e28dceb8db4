// auth's one error table: every failure auth itself answers with, each a stable AUTH_ code with one status.
// Clients and tests match on the codes. The platform's codes (VALIDATION_FAILED, FORBIDDEN, RATE_LIMITED,
// AUTH_TOKEN_INVALID, AUTH_SESSION_REVOKED …) are the kit's (packages/kit/src/errors.ts); auth imports them.
import { AppError, AuthenticationError, AuthorizationError, ConflictError, NotFoundError, RateLimitedError, RequestValidationError } from '@dreamseed/kit'

// Registration and verification

export class VerificationTokenInvalidError extends AppError {
  constructor () { super('AUTH_VERIFICATION_TOKEN_INVALID', 'This verification link is not valid. Ask for a new one.', 400) }
}
export class VerificationTokenExpiredError extends AppError {
  constructor () { super('AUTH_VERIFICATION_TOKEN_EXPIRED', 'This verification link has expired. Ask for a new one.', 410) }
}
export class VerificationTokenUsedError extends AppError {
  constructor () { super('AUTH_VERIFICATION_TOKEN_USED', 'This verification link has already been used. Ask for a new one if your address is not verified yet.', 410) }
}
export class VerificationPasswordIncorrectError extends AppError {
  constructor () {
    super('AUTH_VERIFICATION_PASSWORD_INCORRECT', 'This is not the password this address was registered with. If you do not know it, someone else may have registered your address: register again with it to choose your own password, and use the link in the new mail.', 401)
  }
}

// Signing in and sessions

export class InvalidCredentialsError extends AuthenticationError {
  constructor () { super('AUTH_INVALID_CREDENTIALS', 'The email or the password is wrong') }
}
export class LoginDelayedError extends RateLimitedError {
  constructor (retryAfterSeconds: number) {
    super(retryAfterSeconds, 'AUTH_LOGIN_DELAYED', 'Too many failed sign-ins: wait before trying again (see Retry-After), or reset your password')
  }
}
export class EmailNotVerifiedError extends AuthorizationError {
  constructor () { super('AUTH_EMAIL_NOT_VERIFIED', 'Confirm your email address first; you can ask for a new link') }
}
// 403 wherever a disabled account signs in, uses a link or is acted on (the admin command too): the caller is
// known and refused, which is what 403 says; the account's state is not a conflict the caller can resolve.
export class AccountDisabledError extends AuthorizationError {
  constructor (message = 'This account has been disabled') { super('AUTH_ACCOUNT_DISABLED', message) }
}
export class SessionExpiredError extends AuthenticationError {
  constructor () { super('AUTH_SESSION_EXPIRED', 'The session has ended; sign in again') }
}
export class SessionNotFoundError extends NotFoundError {
  constructor () { super('AUTH_SESSION_NOT_FOUND', 'No such session') }
}
export class TokenStaleError extends AuthenticationError {
  constructor () { super('AUTH_TOKEN_STALE', 'Your role or organization has changed; refresh your access token') }
}

// Passwords

export class ResetTokenInvalidError extends AppError {
  constructor () { super('AUTH_RESET_TOKEN_INVALID', 'This password reset link is not valid. Ask for a new one.', 400) }
}
export class ResetTokenExpiredError extends AppError {
  constructor () { super('AUTH_RESET_TOKEN_EXPIRED', 'This password reset link has expired. Ask for a new one.', 410) }
}
export class ResetTokenUsedError extends AppError {
  constructor () { super('AUTH_RESET_TOKEN_USED', 'This password reset link has already been used. Ask for a new one if you still need to reset your password.', 410) }
}
// 400, not 401: the caller is signed in, and a 401 would tell clients their session has ended.
export class CurrentPasswordIncorrectError extends AppError {
  constructor () { super('AUTH_CURRENT_PASSWORD_INCORRECT', 'The current password is wrong', 400) }
}
export class PasswordUnchangedError extends AppError {
  constructor () { super('AUTH_PASSWORD_UNCHANGED', 'The new password is the same as the current one', 400) }
}
export class PasswordsDifferError extends AppError {
  constructor () { super('AUTH_PASSWORDS_DIFFER', 'The two passwords are not the same', 400) }
}

// Organizations, invitations and members

export class AlreadyMemberError extends ConflictError {
  constructor () { super('AUTH_ALREADY_MEMBER', 'You already belong to this organization') }
}
export class InAnotherOrganizationError extends ConflictError {
  constructor () { super('AUTH_ALREADY_IN_ORGANIZATION', 'You already belong to another organization; an account belongs to one at most') }
}
export class AccountInOtherOrganizationError extends ConflictError {
  constructor (email: string) { super('AUTH_ACCOUNT_IN_OTHER_ORGANIZATION', `The account ${email} belongs to another organization`) }
}
export class OrganizationAmbiguousError extends ConflictError {
  constructor (name: string) { super('AUTH_ORGANIZATION_AMBIGUOUS', `More than one organization is named "${name}"`) }
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
  constructor (message = 'No such user in your organization') { super('AUTH_USER_NOT_FOUND', message) }
}
export class OwnAccountError extends AuthorizationError {
  constructor () { super('AUTH_OWN_ACCOUNT', 'You cannot change your own role or disable yourself; ask another admin') }
}
export class NoOrganizationError extends AuthorizationError {
  constructor () { super('AUTH_NO_ORGANIZATION', 'You belong to no organization yet; ask your school\'s admin to invite you') }
}

// Classrooms

export class OtherOrganizationError extends AuthorizationError {
  constructor () { super('AUTH_OTHER_ORGANIZATION', 'This classroom belongs to another organization than yours') }
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

// Accommodations

export class NotStudentsTeacherError extends AuthorizationError {
  constructor () { super('AUTH_NOT_STUDENTS_TEACHER', 'Only an admin of the organization or a teacher of one of the student\'s classrooms may do this') }
}
export class StudentNotFoundError extends NotFoundError {
  constructor () { super('AUTH_STUDENT_NOT_FOUND', 'No such student in this organization') }
}
export class AccommodationsNotFoundError extends NotFoundError {
  constructor () { super('AUTH_ACCOMMODATIONS_NOT_FOUND', 'This student has no accommodation profile') }
}

/** The kit's VALIDATION_FAILED with auth's own wording (a form's problem, shown on its page; the admin command's input). */
export const invalidInput = (message: string): RequestValidationError => new RequestValidationError(message)
