// notification's Postgres schema: only the notification service reads or writes the tables in it.
import { pgSchema } from 'drizzle-orm/pg-core'

export const notification = pgSchema('notification')
export const deliveryStatus = notification.enum('delivery_status', ['pending', 'sending', 'sent', 'failed'])
