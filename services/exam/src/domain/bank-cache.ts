// Each organization's items held in memory, with the IRT banks built from them per exam, so choosing and
// scoring an item never reads the database. Every status is held (an item retired mid-session still scores
// the answers given to it); pools only take active items (and pretest items as such). A bank is dropped when an item
// of its organization changes here, or when a statement reports a newer bank version (a change made through
// another replica); the next use reloads it.
import { eq } from 'drizzle-orm'
import { itemBankVersions, items, type ExamSettings, type ExamStopping } from '@dreamseed/schema/exam'
import { contentTargets, createItemBank, createSelectionScratch, type ItemBank, type SelectionScratch } from '@dreamseed/irt'
import type { Db } from './deps.js'
import type { ItemContent } from './item-input.js'

/** An item as stored, with its id. */
export type BankItem = ItemContent & { id: string }

/** What a pool is built from: the parts of an exam that choose and score its items. */
export interface ExamDefinition {
  id: string
  organizationId: string
  kind: 'fixed' | 'adaptive'
  subject: string | null
  topics: string[]
  itemIds: string[]
  settings: ExamSettings
  stopping: ExamStopping
}

export interface Pool {
  /** The scored items as the IRT engine sees them; index i is item ids[i]. */
  bank: ItemBank
  ids: string[]
  index: Map<string, number>
  /** Working memory of item selection, reused by every call (one at a time). */
  scratch: SelectionScratch
  /** Adaptive exams with content targets: the share per bank topic. */
  targets: Float64Array | undefined
  /** Adaptive exams with Sympson-Hetter: K per bank item. */
  sympsonHetter: Float64Array | undefined
  /** Adaptive exams only: pretest items of the pool, given now and then, never scored. */
  pretest: string[]
}

export interface OrganizationBank {
  organizationId: string
  version: number
  items: Map<string, BankItem>
  pools: Map<string, Pool>
}

export interface BankCache {
  get: (organizationId: string) => Promise<OrganizationBank>
  invalidate: (organizationId: string) => void
  /** A bank version read from the database: a newer one than the bank held drops it. */
  observe: (organizationId: string, version: number) => void
  pool: (bank: OrganizationBank, exam: ExamDefinition) => Pool
}

export function createBankCache (db: Db, maxOrganizations: number): BankCache {
  const banks = new Map<string, Promise<OrganizationBank>>()
  const versions = new Map<string, number>()

  const load = async (organizationId: string): Promise<OrganizationBank> => {
    const [row] = await db.select({ version: itemBankVersions.version }).from(itemBankVersions).where(eq(itemBankVersions.organizationId, organizationId))
    const rows = await db.select({
      id: items.id, stem: items.stem, options: items.options, correctIndex: items.correctIndex, subject: items.subject, topics: items.topics,
      a: items.a, b: items.b, c: items.c, d: items.d, status: items.status
    }).from(items).where(eq(items.organizationId, organizationId)).orderBy(items.id)
    const version = row?.version ?? 0
    versions.set(organizationId, version)
    return { organizationId, version, items: new Map(rows.map((r) => [r.id, r as BankItem])), pools: new Map() }
  }

  const invalidate = (organizationId: string): void => { banks.delete(organizationId); versions.delete(organizationId) }

  return {
    get: async (organizationId) => {
      let bank = banks.get(organizationId)
      if (bank === undefined) {
        bank = load(organizationId)
        bank.catch(() => { if (banks.get(organizationId) === bank) invalidate(organizationId) })
        while (banks.size >= maxOrganizations) invalidate(banks.keys().next().value!)
      } else {
        banks.delete(organizationId)
      }
      banks.set(organizationId, bank)
      return await bank
    },
    invalidate,
    observe: (organizationId, version) => {
      const held = versions.get(organizationId)
      if (held !== undefined && version > held) invalidate(organizationId)
    },
    pool: (bank, exam) => {
      let pool = bank.pools.get(exam.id)
      if (pool === undefined) {
        pool = buildPool(bank, exam)
        bank.pools.set(exam.id, pool)
      }
      return pool
    }
  }
}

/** The item an adaptive exam's content targets count it under: its first topic with a target, else its first. */
function balancingTopic (item: BankItem, targets: Record<string, number> | undefined): string | undefined {
  if (targets !== undefined) {
    const targeted = item.topics.find((t) => (targets[t] ?? 0) > 0)
    if (targeted !== undefined) return targeted
  }
  return item.topics[0]
}

export function inAdaptivePool (item: BankItem, exam: Pick<ExamDefinition, 'subject' | 'topics'>): boolean {
  return item.subject === exam.subject && (exam.topics.length === 0 || item.topics.some((t) => exam.topics.includes(t)))
}

function buildPool (bank: OrganizationBank, exam: ExamDefinition): Pool {
  const targets = exam.settings.contentTargets
  let scored: BankItem[]
  let pretest: string[] = []
  if (exam.kind === 'fixed') {
    scored = exam.itemIds.map((id) => bank.items.get(id)).filter((i): i is BankItem => i !== undefined && (i.status === 'active' || i.status === 'pretest'))
  } else {
    const candidates = [...bank.items.values()].filter((i) => inAdaptivePool(i, exam))
    scored = candidates.filter((i) => i.status === 'active')
    pretest = exam.settings.pretestRate > 0 ? candidates.filter((i) => i.status === 'pretest').map((i) => i.id) : []
  }
  const irtBank = createItemBank(scored.map((i) => {
    const topic = balancingTopic(i, targets)
    return { id: i.id, a: i.a, b: i.b, c: i.c, d: i.d, ...(topic === undefined ? {} : { topic }) }
  }))
  const ids = scored.map((i) => i.id)
  const usableTargets = Object.fromEntries(Object.entries(targets ?? {}).filter(([t, w]) => w > 0 && irtBank.topics.includes(t)))
  const sh = exam.settings.sympsonHetter
  return {
    bank: irtBank,
    ids,
    index: new Map(ids.map((id, i) => [id, i])),
    scratch: createSelectionScratch(irtBank, exam.settings.randomesque),
    targets: exam.kind === 'adaptive' && Object.keys(usableTargets).length > 0 ? contentTargets(irtBank.topics, usableTargets) : undefined,
    sympsonHetter: exam.kind === 'adaptive' && sh !== undefined ? Float64Array.from(ids, (id) => sh[id] ?? 1) : undefined,
    pretest
  }
}
