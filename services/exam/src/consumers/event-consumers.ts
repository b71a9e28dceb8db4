// exam's durable consumers: auth's classroom events keep the read model of classrooms and memberships (who
// may take an assigned exam); auth's accommodation changes keep the students' profiles (copied onto the
// sessions they start); analytics' promotions make calibrated pretest items active.
import { SERVICE_ACCESS, startConsumer, streamFor, type RunningConsumer } from '@dreamseed/events'
import type { FastifyInstance } from 'fastify'
import { createClassroomProjections } from '../domain/classroom-projections.js'
import { createAccommodationProjections } from '../domain/accommodation-projections.js'
import { createPromotionProjections } from '../domain/promotion-projections.js'

// Named where exam's NATS permissions are declared: the server lets exam run these consumers and no others.
export const CLASSROOM_DURABLE = SERVICE_ACCESS.exam.consumers.classrooms.durable
export const ACCOMMODATION_DURABLE = SERVICE_ACCESS.exam.consumers.accommodations.durable
export const PROMOTION_DURABLE = SERVICE_ACCESS.exam.consumers.promotions.durable

export interface ConsumerSettings {
  prefix: string
  maxDeliver: number
  backoffMs: number[]
  ackWaitMs: number
}

function start (app: FastifyInstance, settings: ConsumerSettings, durable: string, type: string, subjects: string, handle: Parameters<typeof startConsumer>[0]['handle']): RunningConsumer {
  return startConsumer({
    connection: async () => await app.nats.ready(),
    prefix: settings.prefix,
    onDeadLetter: () => { app.metrics.deadLetters.inc({ consumer: durable }) },
    stream: streamFor(settings.prefix, type),
    durable,
    filterSubject: `${settings.prefix}.${subjects}`,
    maxDeliver: settings.maxDeliver,
    backoffMs: settings.backoffMs,
    ackWaitMs: settings.ackWaitMs,
    // One at a time: events are applied in the order their producer wrote them.
    concurrency: 1,
    log: app.log,
    handle
  })
}

export const startClassroomConsumer = (app: FastifyInstance, settings: ConsumerSettings): RunningConsumer =>
  start(app, settings, CLASSROOM_DURABLE, 'classroom.created', 'classroom.>', createClassroomProjections(app.examDeps))

export const startAccommodationConsumer = (app: FastifyInstance, settings: ConsumerSettings): RunningConsumer =>
  start(app, settings, ACCOMMODATION_DURABLE, 'user.accommodations.changed', 'user.accommodations.changed.*', createAccommodationProjections(app.examDeps))

export const startPromotionConsumer = (app: FastifyInstance, settings: ConsumerSettings): RunningConsumer =>
  start(app, settings, PROMOTION_DURABLE, 'analytics.item.promoted', 'analytics.item.promoted.*', createPromotionProjections(app.examDeps, app.log))
