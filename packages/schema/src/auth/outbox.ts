// auth's outbox: user.* events wait here until the relay has them on JetStream.
import { outboxTable } from '../shared/outbox.js'
import { auth } from './schema.js'

export const authOutbox = outboxTable(auth)
