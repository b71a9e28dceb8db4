// Disengagement: rapid guesses and response-time effort. A response is a rapid guess when it came faster than
// its item's threshold (Wise & Ma 2012, normative threshold NT10: a share of the item's typical response time,
// here the median over completed sessions, within a floor and a cap; a fixed default until the item has enough
// responses; item-timing.ts). A session's response-time effort is the share of its responses that are not
// rapid guesses (Wise & Kong 2005); below a setting, the session is flagged low effort. Pure.
//
// The time is the server's: from when the item was shown (moved on by every pause, so time stood still does not
// count) to when the answer arrived. A client's timeTakenMs is kept and shown but never judged on: a client
// could report any number to dodge the flag.

export interface EffortRules {
  /** The threshold of an item shown before it had enough responses for its own (and of sessions from before thresholds were kept). */
  defaultThresholdMs: number
  /** Sessions whose effort is below this are flagged low effort. */
  flagBelow: number
}

export interface Effort {
  rapidGuesses: number
  /** The share of responses that are not rapid guesses; null before any response. */
  effort: number | null
  lowEffort: boolean
}

/** Whether an answer came before its item's threshold, on the server's clock. */
export const isRapidGuess = (servedAt: Date, answeredAt: Date, thresholdMs: number): boolean => answeredAt.getTime() - servedAt.getTime() < thresholdMs

/** A session's response-time effort from its response and rapid-guess counts. */
export function effortOf (responses: number, rapidGuesses: number, flagBelow: number): Effort {
  const effort = responses === 0 ? null : (responses - rapidGuesses) / responses
  return { rapidGuesses, effort, lowEffort: effort !== null && effort < flagBelow }
}
