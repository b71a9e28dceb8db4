// analytics' Postgres schema: read models built only from events, so every table here can be truncated and
// rebuilt from the streams. Only the analytics service reads or writes it.
import { pgSchema } from 'drizzle-orm/pg-core'

export const analytics = pgSchema('analytics')
