// Scores by item type as the reports show them: the sums per type (repositories/session-type-totals-repository.ts) with the
// proportion of full-credit answers and the score as a share of the most it could have been.
import type { TypeTotalsRow } from '../repositories/session-type-totals-repository.js'
import { ratio } from './statistics.js'

export interface TypeBreakdown {
  type: string
  /** Completed sessions with at least one answer of this type. */
  sessions: number
  answered: number
  correct: number
  score: number
  maxScore: number
  proportionCorrect: number | null
  scoreRatio: number | null
}

export const typeBreakdown = (rows: TypeTotalsRow[]): TypeBreakdown[] => rows.map((r) => ({
  type: r.type,
  sessions: r.sessions,
  answered: r.answered,
  correct: r.correct,
  score: r.score,
  maxScore: r.maxScore,
  proportionCorrect: ratio(r.correct, r.answered),
  scoreRatio: ratio(r.score, r.maxScore)
}))
