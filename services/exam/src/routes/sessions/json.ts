// Sessions as JSON: dates as ISO strings.
import type { RecordedResponse } from '../../domain/model.js'
import type { SessionStep, SessionView } from '../../domain/session-views.js'
import { effortOf } from '../../domain/effort.js'

const isoOrNull = (d: Date | null): string | null => d?.toISOString() ?? null

/** `flagBelow`: EXAM_EFFORT_FLAG_BELOW, which the session's effort is flagged under. */
export const sessionJson = (s: SessionView, flagBelow: number) => ({ ...s, ...effortOf(s.responseCount, s.rapidGuesses, flagBelow), startedAt: s.startedAt.toISOString(), deadlineAt: isoOrNull(s.deadlineAt), completedAt: isoOrNull(s.completedAt), pausedAt: isoOrNull(s.pausedAt), voidedAt: isoOrNull(s.voidedAt) })
export const stepJson = <T extends SessionStep>(step: T, flagBelow: number) => ({ ...step, session: sessionJson(step.session, flagBelow) })
export const responseJson = (r: RecordedResponse) => ({ ...r, servedAt: r.servedAt.toISOString(), answeredAt: r.answeredAt.toISOString() })
