// A session as the service works with it: the row, its responses in order, and the exam that chooses and
// scores its items.
import type { SessionResult } from '@dreamseed/schema/exam'
import type { ExamDefinition } from './bank-cache.js'

export interface RecordedResponse {
  position: number
  itemId: string
  optionIndex: number
  correct: boolean
  pretest: boolean
  thetaAfter: number
  seAfter: number
  timeTakenMs: number | null
  servedAt: Date
  answeredAt: Date
}

export interface SessionState {
  id: string
  examId: string
  organizationId: string
  studentId: string
  status: 'in_progress' | 'completed'
  seed: number
  theta: number
  se: number
  responseCount: number
  itemsAnswered: number
  correctCount: number
  currentItemId: string | null
  currentServedAt: Date | null
  startedAt: Date
  deadlineAt: Date | null
  completedAt: Date | null
  stopReason: string | null
  result: SessionResult | null
  responses: RecordedResponse[]
  exam: ExamDefinition
}
