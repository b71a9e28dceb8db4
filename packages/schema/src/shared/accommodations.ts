// A student's accommodation profile as exam copies it onto a session and analytics keeps it: the contract is
// packages/events (user/accommodations.ts); this is its shape in a jsonb column.
export interface AccommodationProfile {
  /** The exam's time limit was multiplied by this when the session started. */
  timeMultiplier: number
  extraBreaks: number
  flags: string[]
}
