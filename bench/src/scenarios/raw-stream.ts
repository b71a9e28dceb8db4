// 6c's bare consume-and-ack loop reads a stream of its own, declared as EXAMS under a prefix next to the
// bench's: created and deleted by the scenario, and deleted with the bench's streams in case a run died in it.
import { STREAMS, streamName } from '@dreamseed/events'

export const rawPrefix = (eventsPrefix: string): string => `${eventsPrefix}raw`

export const rawStreamName = (eventsPrefix: string): string => streamName(rawPrefix(eventsPrefix), STREAMS.find((s) => s.name === 'EXAMS')!)
