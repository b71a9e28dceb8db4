// An organization's passages as teachers and admins write and read them. A passage changes no item's scoring,
// so writing one does not bump the bank version; the items that join it do.
import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm'
import { passages } from '@dreamseed/schema/exam'
import { pageSize, toPage, type Executor, type Page, type PageRequest } from '@dreamseed/kit'
import type { PassageView } from '../domain/model.js'

const passageColumns = {
  id: passages.id,
  organizationId: passages.organizationId,
  authorId: passages.authorId,
  ref: passages.ref,
  title: passages.title,
  stimulus: passages.stimulus,
  createdAt: passages.createdAt,
  updatedAt: passages.updatedAt
}

export function createPassagesRepository (db: Executor) {
  return {
    insert: async (passage: PassageView): Promise<void> => {
      await db.insert(passages).values(passage)
    },

    get: async (id: string, organizationId: string): Promise<PassageView | undefined> => {
      const [row] = await db.select(passageColumns).from(passages).where(and(eq(passages.id, id), eq(passages.organizationId, organizationId)))
      return row
    },

    /** These passages of the organization, in one query. */
    byIds: async (ids: string[], organizationId: string): Promise<PassageView[]> => ids.length === 0
      ? []
      : await db.select(passageColumns).from(passages).where(and(inArray(passages.id, ids), eq(passages.organizationId, organizationId))),

    /** One page of the organization's passages, in one query whatever its size. */
    list: async (organizationId: string, page: PageRequest): Promise<Page<PassageView>> => {
      const limit = pageSize(page)
      const conditions: SQL[] = [eq(passages.organizationId, organizationId)]
      if (page.cursor !== undefined) conditions.push(gt(passages.id, page.cursor))
      return toPage(await db.select(passageColumns).from(passages).where(and(...conditions)).orderBy(asc(passages.id)).limit(limit + 1), limit)
    }
  }
}

export type PassagesRepository = ReturnType<typeof createPassagesRepository>
