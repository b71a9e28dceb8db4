// Sessions as JSON: dates as ISO strings.
import type { RecordedResponse } from '../../domain/model.js'
import type { SessionStep, SessionView } from '../../domain/session-views.js'

const isoOrNull = (d: Date | null): string | null => d?.toISOString() ?? null

export const sessionJson = (s: SessionView) => ({ ...s, startedAt: s.startedAt.toISOString(), deadlineAt: isoOrNull(s.deadlineAt), completedAt: isoOrNull(s.completedAt), pausedAt: isoOrNull(s.pausedAt), voidedAt: isoOrNull(s.voidedAt) })
export const stepJson = <T extends SessionStep>(step: T) => ({ ...step, session: sessionJson(step.session) })
export const responseJson = (r: RecordedResponse) => ({ ...r, servedAt: r.servedAt.toISOString(), answeredAt: r.answeredAt.toISOString() })
