// analytics' one error table: its own failures, each with a stable ANALYTICS_ code. Platform failures
// (FORBIDDEN, NOT_FOUND …) are the kit's classes, thrown as they are.
import { AuthorizationError, ConflictError, NotFoundError, ValidationError } from '@dreamseed/kit'

export class NoOrganizationError extends AuthorizationError {
  constructor () { super('ANALYTICS_NO_ORGANIZATION', 'You belong to no organization yet') }
}
export class StudentNotFoundError extends NotFoundError {
  constructor () { super('ANALYTICS_STUDENT_NOT_FOUND', 'No such student') }
}
export class ClassroomNotFoundError extends NotFoundError {
  constructor () { super('ANALYTICS_CLASSROOM_NOT_FOUND', 'No such classroom') }
}
export class ItemNotFoundError extends NotFoundError {
  constructor () { super('ANALYTICS_ITEM_NOT_FOUND', 'No such item') }
}
export class ExamNotFoundError extends NotFoundError {
  constructor () { super('ANALYTICS_EXAM_NOT_FOUND', 'No such exam') }
}
export class NotYourStudentError extends AuthorizationError {
  constructor () { super('ANALYTICS_NOT_YOUR_STUDENT', 'This student is in none of your classrooms') }
}
export class NotYourClassroomError extends AuthorizationError {
  constructor () { super('ANALYTICS_NOT_YOUR_CLASSROOM', 'Only the classroom\'s teacher or an admin of its organization may see it') }
}
export class NotPretestError extends ConflictError {
  constructor () { super('ANALYTICS_NOT_PRETEST', 'Only a pretest item can be promoted') }
}
export class CalibrationInsufficientError extends ConflictError {
  constructor (message: string) { super('ANALYTICS_CALIBRATION_INSUFFICIENT', message) }
}
export class PolytomousPromotionError extends ConflictError {
  // analytics.item.promoted v1 carries a, b and c only: exam would keep the item's old steps beside a new slope.
  constructor () { super('ANALYTICS_POLYTOMOUS_PROMOTION', 'A polytomous item\'s calibration cannot be promoted yet: the promotion event carries no category steps') }
}
export class TermNotFoundError extends NotFoundError {
  constructor () { super('ANALYTICS_TERM_NOT_FOUND', 'No such term') }
}
export class TermRangeError extends ValidationError {
  constructor () { super('ANALYTICS_TERM_RANGE', 'A term must start before it ends') }
}
export class TermOverlapError extends ConflictError {
  constructor (other: string) { super('ANALYTICS_TERM_OVERLAP', `The term overlaps the organization's term "${other}"`) }
}
export class TermNameTakenError extends ConflictError {
  constructor () { super('ANALYTICS_TERM_NAME_TAKEN', 'The organization already has a term of that name') }
}
export class ScaleZeroSlopeError extends ValidationError {
  constructor () { super('ANALYTICS_SCALE_ZERO_SLOPE', 'A scale\'s slope must be a number other than 0: every θ would get the same score') }
}
export class ScaleDecimalsError extends ValidationError {
  constructor () { super('ANALYTICS_SCALE_DECIMALS', 'A scale rounds to 0 to 3 decimals') }
}
export class ScaleBoundsReversedError extends ValidationError {
  constructor () { super('ANALYTICS_SCALE_BOUNDS_REVERSED', 'A scale\'s min must be below its max') }
}
