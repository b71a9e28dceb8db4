// Published by exam when a teacher or admin assigns an exam to a classroom or withdraws it. Carries the
// exam's title, kind and subject so a subscriber needs no other source to show a classroom's exams.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

const Uuid = Type.String({ format: 'uuid' })

export const examAssignmentChangedV1 = defineEvent({
  type: 'exam.assignment.changed',
  version: 1,
  producer: 'exam',
  description: 'An exam was assigned to a classroom (assigned: true) or withdrawn from it (assigned: false). subject is null for a fixed form.',
  data: Type.Object({
    examId: Uuid,
    classroomId: Uuid,
    organizationId: Uuid,
    title: Type.String(),
    examKind: Type.Union([Type.Literal('fixed'), Type.Literal('adaptive')]),
    subject: Type.Union([Type.String(), Type.Null()]),
    assigned: Type.Boolean(),
    changedBy: Uuid,
    changedAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type ExamAssignmentChangedV1 = DataOf<typeof examAssignmentChangedV1>
