// auth's Postgres schema: only the auth service reads or writes the tables in it.
import { pgSchema } from 'drizzle-orm/pg-core'

export const auth = pgSchema('auth')
export const userRole = auth.enum('user_role', ['student', 'teacher', 'admin'])
