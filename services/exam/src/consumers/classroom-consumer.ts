// exam's entry point for auth's classroom events: a durable consumer of classroom.* that keeps the read model
// of classrooms and memberships (who may take an assigned exam).
import { startConsumer, streamFor, type RunningConsumer } from '@dreamseed/events'
import type { FastifyInstance } from 'fastify'
import { applyClassroomEvent } from '../domain/classroom-events.js'

export const CLASSROOM_DURABLE = 'exam-classrooms'

export interface ClassroomConsumerOptions {
  prefix: string
  maxDeliver: number
  backoffMs: number[]
  ackWaitMs: number
}

export function startClassroomConsumer (app: FastifyInstance, options: ClassroomConsumerOptions): RunningConsumer {
  return startConsumer({
    connection: async () => await app.nats.ready(),
    stream: streamFor(options.prefix, 'classroom.created'),
    durable: CLASSROOM_DURABLE,
    filterSubject: `${options.prefix}.classroom.>`,
    maxDeliver: options.maxDeliver,
    backoffMs: options.backoffMs,
    ackWaitMs: options.ackWaitMs,
    // One at a time: a classroom's events are applied in the order auth wrote them.
    concurrency: 1,
    log: app.log,
    handle: async (event) => await applyClassroomEvent(app.examDeps.db, event.envelope)
  })
}
