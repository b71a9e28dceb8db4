// exam's outbox: exam.* events wait here until the relay has them on JetStream.
import { outboxTable } from '../shared/outbox.js'
import { exam } from './schema.js'

export const examOutbox = outboxTable(exam)
