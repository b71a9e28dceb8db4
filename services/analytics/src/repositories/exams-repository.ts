// analytics' copy of exams and of their assignment to classrooms, written by the exam projections. An exam
// may be first heard of through any of its events: each inserts the row if missing and fills only the columns
// it knows; where two events carry the same field, the later changedAt wins.
import { sql } from 'drizzle-orm'
import { analyticsAssignments, analyticsExams } from '@dreamseed/schema/analytics'
import type { Db, Tx } from '@dreamseed/kit'

export function createExamsRepository (db: Db | Tx) {
  const e = analyticsExams
  return {
    /** The exam row exists; kind and subject are filled where they were unknown. */
    async ensure (id: string, organizationId: string, fields: { kind?: string, subject?: string | null } = {}): Promise<void> {
      const insert = db.insert(e).values({ id, organizationId, kind: fields.kind ?? null, subject: fields.subject ?? null })
      // Every response names its exam: responses, the bulk of the events, leave an existing row alone without
      // locking it, so the sessions of one exam do not queue behind each other.
      if (fields.kind === undefined && (fields.subject ?? null) === null) {
        await insert.onConflictDoNothing()
        return
      }
      await insert.onConflictDoUpdate({
        target: e.id,
        set: { kind: sql`coalesce(${e.kind}, excluded.kind)`, subject: sql`coalesce(${e.subject}, excluded.subject)` },
        setWhere: sql`(${e.kind} is null and excluded.kind is not null) or (${e.subject} is null and excluded.subject is not null)`
      })
    },

    /** For each exam, the row exists (as `ensure` without fields leaves it): rows distinct by id, in the order to lock them, sent as one JSON parameter (see recordMany). */
    async ensureMany (rows: Array<{ id: string, organizationId: string }>): Promise<void> {
      if (rows.length === 0) return
      await db.execute(sql`insert into analytics.exams (id, organization_id) select id, organization_id from json_to_recordset(${JSON.stringify(rows.map((r) => ({ id: r.id, organization_id: r.organizationId })))}::json) as r(id uuid, organization_id uuid) on conflict do nothing`)
    },

    /** The exam as of `changedAt` (an older change loses). */
    async upsert (id: string, exam: Required<Pick<typeof analyticsExams.$inferInsert, 'organizationId' | 'title' | 'kind' | 'subject' | 'changedAt'>>): Promise<void> {
      await db.insert(e).values({ id, ...exam })
        .onConflictDoUpdate({ target: e.id, set: exam, setWhere: sql`${e.changedAt} is null or excluded.changed_at > ${e.changedAt}` })
    },

    /** Whether the exam is assigned to the classroom, as of `changedAt` (an older change loses). */
    async setAssignment (a: { classroomId: string, examId: string, organizationId: string, assigned: boolean, changedAt: Date }): Promise<void> {
      const t = analyticsAssignments
      await db.insert(t).values(a)
        .onConflictDoUpdate({ target: [t.classroomId, t.examId], set: { assigned: a.assigned, changedAt: a.changedAt }, setWhere: sql`excluded.changed_at > ${t.changedAt}` })
    }
  }
}

export type ExamsRepository = ReturnType<typeof createExamsRepository>
