// exam's Postgres schema: only the exam service reads or writes the tables in it.
import { pgSchema } from 'drizzle-orm/pg-core'

export const exam = pgSchema('exam')
export const itemStatus = exam.enum('item_status', ['draft', 'pretest', 'active', 'retired'])
/** How an item is answered and scored (services/exam/README.md#item-types). */
export const itemType = exam.enum('item_type', ['single', 'multiple', 'numeric', 'text', 'rating'])
export const examKind = exam.enum('exam_kind', ['fixed', 'adaptive'])
/**
 * A session's state: `paused` (by its student, a teacher or an admin) and `suspended` (idle, by the server) stop
 * its clock until it is resumed (services/exam/README.md#pause-suspend-resume).
 */
export const sessionStatus = exam.enum('session_status', ['in_progress', 'paused', 'suspended', 'completed'])
