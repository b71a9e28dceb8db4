// Everything in the notification schema; the notification service imports this and nothing else here.
export * from './schema.js'
export * from './email-deliveries.js'
