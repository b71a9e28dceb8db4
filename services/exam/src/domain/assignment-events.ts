// The event an exam's assignment to a classroom writes to the outbox (outgoing: built here, relayed to NATS).
import { examAssignmentChangedV1, newEnvelope, outboxRow, type OutboxRow } from '@dreamseed/events'
import type { ExamView } from './model.js'

/** exam.assignment.changed, written only when an assignment was really added or withdrawn (repeats are no-ops). */
export const assignmentChanged = (exam: ExamView, classroomId: string, assigned: boolean, by: string, now: Date): OutboxRow => outboxRow(newEnvelope(examAssignmentChangedV1, {
  examId: exam.id,
  classroomId,
  organizationId: exam.organizationId,
  title: exam.title,
  examKind: exam.kind,
  subject: exam.subject,
  assigned,
  changedBy: by,
  changedAt: now.toISOString()
}, { now }), exam.id)
