// exam's one error table: every failure the service reports, each a class with a stable EXAM_ code and one
// status. The platform's codes (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, …) come from the kit's table.
import { AppError, AuthorizationError, ConflictError, NotFoundError, ValidationError, type ErrorDetail } from '@dreamseed/kit'

export class NoOrganizationError extends AuthorizationError {
  constructor () { super('EXAM_NO_ORGANIZATION', 'You belong to no organization yet; ask your school\'s admin for an invitation and accept it') }
}
export class ItemNotFoundError extends NotFoundError {
  constructor () { super('EXAM_ITEM_NOT_FOUND', 'No such item') }
}
export class ItemInvalidError extends ValidationError {
  constructor (details: ErrorDetail[]) { super('EXAM_ITEM_INVALID', `The item is not valid: ${details[0]?.path ?? ''} ${details[0]?.message ?? ''}`.trim(), { details }) }
}
export class ImportRejectedError extends ValidationError {
  constructor (rejected: number, total: number, details: ErrorDetail[], complete = true) {
    super('EXAM_IMPORT_REJECTED', complete
      ? `${rejected} of ${total} lines were rejected; nothing was imported`
      : `Too many bad lines: reading stopped after ${rejected} rejected lines (the first ${details.length} problems are listed); nothing was imported`, { details })
  }
}
export class ImportEmptyError extends ValidationError {
  constructor () { super('EXAM_IMPORT_EMPTY', 'The import holds no item') }
}
export class ImportTooLargeError extends AppError {
  constructor (max: number) { super('EXAM_IMPORT_TOO_MANY_ITEMS', `An import may hold at most ${max} items; split it`, 413) }
}
export class ExportTooLargeError extends AppError {
  constructor (max: number) { super('EXAM_EXPORT_TOO_MANY_ITEMS', `An export may hold at most ${max} items; export one subject or status at a time`, 413) }
}
export class ExamNotFoundError extends NotFoundError {
  constructor () { super('EXAM_NOT_FOUND', 'No such exam') }
}
export class ExamInvalidError extends ValidationError {
  constructor (details: ErrorDetail[]) { super('EXAM_INVALID', `The exam is not valid: ${details[0]?.path ?? ''} ${details[0]?.message ?? ''}`.trim(), { details }) }
}
export class ClassroomUnknownError extends NotFoundError {
  constructor () { super('EXAM_CLASSROOM_NOT_FOUND', 'No such classroom in your organization') }
}
export class NotAssignedError extends AuthorizationError {
  constructor () { super('EXAM_NOT_ASSIGNED', 'This exam is not assigned to any of your classrooms') }
}
export class SessionNotFoundError extends NotFoundError {
  constructor () { super('EXAM_SESSION_NOT_FOUND', 'No such session') }
}
export class ExamAlreadyTakenError extends ConflictError {
  constructor () { super('EXAM_ALREADY_COMPLETED', 'You have already completed this exam') }
}
export class SessionCompletedError extends ConflictError {
  constructor () { super('EXAM_SESSION_COMPLETED', 'This session has ended; it takes no more answers and cannot be paused or resumed') }
}
export class SessionTimeUpError extends ConflictError {
  constructor () { super('EXAM_SESSION_TIME_UP', 'The time for this exam is up; the answer was not recorded') }
}
export class AnswerConflictError extends ConflictError {
  constructor () { super('EXAM_ANSWER_CONFLICT', 'This item was already answered with another answer; an answer cannot be changed') }
}
export class NotCurrentItemError extends ConflictError {
  constructor () { super('EXAM_NOT_CURRENT_ITEM', 'This is not the item being shown; fetch the current item') }
}
export class OptionOutOfRangeError extends ValidationError {
  constructor () { super('EXAM_OPTION_OUT_OF_RANGE', 'The item has no option with this index') }
}
export class AnswerShapeError extends ValidationError {
  constructor (field: string) { super('EXAM_ANSWER_WRONG_TYPE', `This item is answered with ${field}, and only with it`, { details: [{ path: field, message: 'is the one answer field of this item' }] }) }
}
export class PassageNotFoundError extends NotFoundError {
  constructor () { super('EXAM_PASSAGE_NOT_FOUND', 'No such passage') }
}
export class PassageInvalidError extends ValidationError {
  constructor (details: ErrorDetail[]) { super('EXAM_PASSAGE_INVALID', `The passage is not valid: ${details[0]?.path ?? ''} ${details[0]?.message ?? ''}`.trim(), { details }) }
}
export class RefTakenError extends ConflictError {
  constructor (what: 'item' | 'passage') { super('EXAM_REF_TAKEN', `Another ${what} of your organization has this ref`) }
}
export class PoolUnavailableError extends ConflictError {
  constructor () { super('EXAM_POOL_EMPTY', 'This exam has no item to give right now; tell your teacher') }
}
export class NotClassroomTeacherError extends AuthorizationError {
  constructor () { super('EXAM_NOT_CLASSROOM_TEACHER', 'Only the classroom\'s teacher or an admin of its organization may assign exams to it or proctor its sessions') }
}
export class SessionPausedError extends ConflictError {
  constructor () { super('EXAM_SESSION_PAUSED', 'This session is paused; resume it to answer (the answer was not recorded)') }
}
export class ResumeWindowPassedError extends ConflictError {
  constructor () { super('EXAM_RESUME_WINDOW_PASSED', 'This session was stopped too long ago to be resumed; it ends with what was answered') }
}
export class PausedByStaffError extends AuthorizationError {
  constructor () { super('EXAM_PAUSED_BY_STAFF', 'A teacher or an admin paused this session; only they may resume it') }
}
export class NotSessionTeacherError extends AuthorizationError {
  constructor () { super('EXAM_NOT_SESSION_TEACHER', 'Only a teacher of a classroom the exam is assigned to and the student belongs to, or an admin, may pause, resume, extend, end or void this session') }
}
export class SessionBusyError extends ConflictError {
  constructor () { super('EXAM_SESSION_BUSY', 'The session changed while this request ran; try again') }
}
export class ExtensionTooLongError extends ValidationError {
  constructor (max: number) { super('EXAM_EXTENSION_TOO_LONG', `One extension may add at most ${max} seconds`, { details: [{ path: '/seconds', message: `must be at most ${max}` }] }) }
}
export class NoTimeLimitError extends ConflictError {
  constructor () { super('EXAM_SESSION_NO_TIME_LIMIT', 'This session has no time limit; there is no deadline to extend') }
}
export class VoidReasonRequiredError extends ValidationError {
  constructor () { super('EXAM_VOID_REASON_REQUIRED', 'Voiding a session needs a reason', { details: [{ path: '/reason', message: 'is required when void is true' }] }) }
}
export class SessionVoidedError extends ConflictError {
  constructor () { super('EXAM_SESSION_VOIDED', 'This session has already been voided') }
}
