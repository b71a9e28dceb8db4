// Incoming: keeps exam's read model of students' accommodation profiles in step with auth's
// user.accommodations.changed. Each event is applied once (inbox, same transaction), and a profile only moves
// forward in time (the later changedAt wins), so redelivery and reordering end in the profile auth has. A
// session copies the profile in force when it starts; nothing here touches sessions already started.
import { createEventHandler, eventKey, toHandlerResult, userAccommodationsChangedV1, type HandlerResult, type ReceivedEvent, type UserAccommodationsChangedV1 } from '@dreamseed/events'
import type { TxRepositories } from '../repositories/index.js'
import type { ExamDeps } from './deps.js'

export function createAccommodationProjections (deps: Pick<ExamDeps, 'repos'>): (event: ReceivedEvent) => Promise<HandlerResult> {
  const handler = createEventHandler<TxRepositories>({
    once: deps.repos.once,
    handlers: {
      [eventKey(userAccommodationsChangedV1.type, userAccommodationsChangedV1.version)]: async ({ accommodations }, envelope) => {
        const data = envelope.data as UserAccommodationsChangedV1
        await accommodations.set({ organizationId: data.organizationId, userId: data.userId, profile: data.accommodations, at: new Date(data.changedAt) })
      }
    }
  })
  return async (event) => toHandlerResult(await handler.handle(event))
}
