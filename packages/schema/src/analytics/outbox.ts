// analytics' outbox: analytics.item.promoted waits here until the relay has it on JetStream.
import { outboxTable } from '../shared/outbox.js'
import { analytics } from './schema.js'

export const analyticsOutbox = outboxTable(analytics)
