// Every mail the mailer has decided to send, recorded before it is sent and keyed on (event, template):
// a redelivered event finds its row and sends nothing twice.
import { integer, text, timestamp, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core'
import { notification, deliveryStatus } from './schema.js'

export const emailDeliveries = notification.table('email_deliveries', {
  id: uuid('id').primaryKey(),
  eventId: uuid('event_id').notNull(),
  template: text('template').notNull(),
  recipient: text('recipient').notNull(),
  status: deliveryStatus('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  messageId: text('message_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true })
}, (t) => [
  uniqueIndex('email_deliveries_event_template_key').on(t.eventId, t.template),
  index('email_deliveries_recipient_idx').on(t.recipient)
])
