// Event ids are UUIDv7: unique, and ordered by time, so outbox rows sort in the order they were written.
import { v7 } from 'uuid'

export const newEventId = (): string => v7()
