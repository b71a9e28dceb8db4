// The shapes exam's use cases, caches and repositories share: an exam as it chooses and scores items, a bank
// of items as choosing and scoring see it, a session with its responses, and what a request carries along.
// Types only, so every layer may import them and none imports a layer through them.
import type { ExamSettings, ExamStopping, ItemAnswer, SessionResult } from '@dreamseed/schema/exam'
import type { Item, ItemBank, ItemSetIndex, SelectionScratch } from '@dreamseed/irt'
import type { Accommodations } from '@dreamseed/events'
import type { ItemContent } from './item-input.js'

/** A student's accommodation profile as auth's contract has it (flags from its closed list); exam's copies come only from its events. */
export type AccommodationProfile = Accommodations

/** What the request that caused a change passes on to the events it writes. */
export interface RequestContext {
  requestId?: string
}

/** An item as teachers and admins read and write it. */
export interface ItemView extends ItemContent, ItemRelations {
  id: string
  organizationId: string
  authorId: string
  createdAt: Date
  updatedAt: Date
}

/** An item's passage (and its place in it) and its enemies, resolved from the ids or refs an input names. */
export interface ItemRelations {
  passageId: string | null
  passagePosition: number | null
  enemyIds: string[]
}

/** A passage as teachers and admins read and write it. */
export interface PassageView {
  id: string
  organizationId: string
  authorId: string
  ref: string | null
  title: string | null
  stimulus: string
  createdAt: Date
  updatedAt: Date
}

/** An item's text, as it is read to be shown: with its passage's stimulus when it has one. */
export interface ItemText {
  id: string
  type: ItemContent['type']
  stem: string
  options: string[]
  passage: { id: string, title: string | null, stimulus: string } | null
}

/** What a pool is built from: the parts of an exam that choose and score its items. */
export interface ExamDefinition {
  id: string
  organizationId: string
  kind: 'fixed' | 'adaptive'
  subject: string | null
  topics: string[]
  itemIds: string[]
  settings: ExamSettings
  stopping: ExamStopping
}

export interface ExamView extends ExamDefinition {
  title: string
  createdBy: string
  createdAt: Date
  classroomIds: string[]
}

/** An exam as a student sees it in their list: with their own session of it, if any. */
export interface AssignedExamView {
  id: string
  title: string
  kind: 'fixed' | 'adaptive'
  /** The student's own: the exam's times their profile's multiplier, as a session started now would get. */
  timeLimitSeconds: number | null
  /** The student's profile in force now (null: none); a session already started keeps the one it started with. */
  accommodations: AccommodationProfile | null
  session: { id: string, status: SessionStatus } | null
}

/** What choosing and scoring need of an item: not its text, only how many options it has. */
export type BankItem = Omit<ItemContent, 'stem' | 'options' | 'ref'> & ItemRelations & { id: string, optionCount: number }

/** An item as the IRT engine models it. */
export type { Item as IrtItem }

export interface Pool {
  /** The scored items as the IRT engine sees them; index i is item ids[i]. */
  bank: ItemBank
  ids: string[]
  index: Map<string, number>
  /** Working memory of item selection, reused by every call (one at a time). */
  scratch: SelectionScratch
  /**
   * Working memory too: the answered items' flags (index as in `bank`), set for one selection and cleared right
   * after, so a step does not allocate and zero a flag per bank item (10 000 bytes) for its few hundred answers.
   */
  excluded: Uint8Array
  /** Adaptive exams with content targets: the share per bank topic. */
  targets: Float64Array | undefined
  /** Adaptive exams with Sympson-Hetter: K per bank item. */
  sympsonHetter: Float64Array | undefined
  /** Adaptive exams only: pretest items of the pool, given now and then, never scored. */
  pretest: string[]
  /** Adaptive exams with passages: each passage's items of the pool, in their order (the first enters on its information, the rest follow). */
  sets: ItemSetIndex | undefined
  /** The enemies of the bank's items that have any (item id → enemy ids). */
  enemies: Map<string, string[]>
}

/** An organization's items at one bank version, with the pools built from them (item-pool.ts). */
export interface OrganizationBank {
  organizationId: string
  version: number
  items: Map<string, BankItem>
  pools: Map<string, Pool>
}

export interface RecordedResponse {
  position: number
  itemId: string
  /** single and rating items: the option chosen; other types: null, and their answer in `answer`. */
  optionIndex: number | null
  answer: ItemAnswer | null
  /** The score category (0..maxScore); `correct` is full credit. */
  score: number
  maxScore: number
  correct: boolean
  pretest: boolean
  thetaAfter: number
  seAfter: number
  timeTakenMs: number | null
  servedAt: Date
  answeredAt: Date
  /** Answered faster than thresholdMs, the item's rapid-guess threshold when it was shown (effort.ts); null: recorded before thresholds were kept. */
  rapidGuess: boolean
  thresholdMs: number | null
}

/** paused and suspended sessions stand still: no answer is taken and their clock does not run until resumed. */
export type SessionStatus = 'in_progress' | 'paused' | 'suspended' | 'completed'

/** Who stopped a session's clock: its student, a teacher, an admin, or the server after a time without activity. */
export type PauseReason = 'student' | 'teacher' | 'admin' | 'idle'

/** A session as the service works with it: the row, its responses in order, and the exam that chooses and scores its items. */
export interface SessionState {
  id: string
  examId: string
  organizationId: string
  studentId: string
  status: SessionStatus
  seed: number
  theta: number
  se: number
  responseCount: number
  itemsAnswered: number
  correctCount: number
  currentItemId: string | null
  currentServedAt: Date | null
  /** The rapid-guess threshold of the item shown, read when it was shown (null: a session from before thresholds were kept). */
  currentThresholdMs: number | null
  /** Responses flagged as rapid guesses (pretest ones included). */
  rapidCount: number
  startedAt: Date
  deadlineAt: Date | null
  completedAt: Date | null
  stopReason: string | null
  result: SessionResult | null
  /** The last start, answer or resume. */
  lastActivityAt: Date
  /** While paused or suspended: when the clock stopped; who stopped it (null: the server) and why. */
  pausedAt: Date | null
  pausedBy: string | null
  pauseReason: PauseReason | null
  /** Time spent paused or suspended over the pauses resumed so far. */
  pausedMs: number
  /** Seconds a teacher or an admin added to the time limit (the deadline moved by as much). */
  extendedS: number
  /** Set once a teacher or an admin voided the session, with their reason. */
  voidedAt: Date | null
  voidReason: string | null
  /** The student's accommodation profile in force when the session started (its time limit scaled by it); null: none. */
  accommodations: AccommodationProfile | null
  responses: RecordedResponse[]
  exam: ExamDefinition
}
