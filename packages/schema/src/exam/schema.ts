// exam's Postgres schema: only the exam service reads or writes the tables in it.
import { pgSchema } from 'drizzle-orm/pg-core'

export const exam = pgSchema('exam')
export const itemStatus = exam.enum('item_status', ['draft', 'pretest', 'active', 'retired'])
export const examKind = exam.enum('exam_kind', ['fixed', 'adaptive'])
export const sessionStatus = exam.enum('session_status', ['in_progress', 'completed'])
