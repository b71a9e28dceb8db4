// The shape every projection of an incoming event has, shared by the projection files and the table that
// routes events to them (apply-event.ts).
import type { Envelope } from '@dreamseed/events'
import type { Tx } from '@dreamseed/kit'

/** Applies one event inside the caller's transaction; returns the organizations whose data changed. */
export type Projection = (tx: Tx, envelope: Envelope<unknown>) => Promise<string[]>
