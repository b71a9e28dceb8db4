// Each organization's items held in memory, with the IRT banks built from them per exam, so choosing and
// scoring an item never reads the database. Only what choosing and scoring need is held (parameters, subject,
// topics, status, the key and the number of options); an item's stem and options are read when it is shown
// (session-store.ts). Every status is held (an item retired mid-session still scores the answers given to it);
// pools only take active items (and pretest items as such). The database stays the truth: every item change
// bumps the organization's bank version, requests read that version in a statement they run anyway and ask
// for a bank at least that new, and an answer is written only if the version it was computed with is still the
// current one. A change made here also drops the bank at once.
//
// Memory is bounded (about 300 bytes an item, measured): at most EXAM_BANK_CACHE_ORGANIZATIONS banks and
// EXAM_BANK_CACHE_TOTAL_ITEMS items in all (least recently used banks dropped first), each bank of at most
// EXAM_BANK_CACHE_MAX_ITEMS items with at most MAX_POOLS pools. A bank past the item cap is not kept: every
// request that needs it reads it from Postgres again (requests waiting at the same moment share one read),
// slower but the same answers; each such read is counted (exam_bank_uncached_loads_total) and warned of.
import { eq, sql } from 'drizzle-orm'
import { itemBankVersions, items, type ExamSettings, type ExamStopping } from '@dreamseed/schema/exam'
import { contentTargets, createItemBank, createSelectionScratch, type ItemBank, type SelectionScratch } from '@dreamseed/irt'
import type { Db, Tx } from './deps.js'
import type { ItemContent } from './item-input.js'

/** What choosing and scoring need of an item: not its text, only how many options it has. */
export type BankItem = Omit<ItemContent, 'stem' | 'options'> & { id: string, optionCount: number }

/** Pools kept per bank (one per exam in use, least recently used dropped first): each holds arrays the size of the bank. */
export const MAX_POOLS = 16

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

export interface BankCacheOptions {
  maxOrganizations: number
  /** Banks with more items are not kept: read again by every request that needs them. */
  maxItems: number
  /** Items kept across banks: the least recently used banks are dropped to stay within it. */
  totalItems: number
  /** Told of every bank read and not kept. */
  overCap?: (organizationId: string, items: number) => void
}

export interface BankCache {
  /**
   * The organization's bank, at least at `version` (read from the database by the caller): a bank held at an
   * older version is dropped and read again. A transaction passes itself as `tx`: a bank it needs is read
   * through it, never awaited from a read through the pool, whose connections may all be waiting for its locks.
   */
  get: (organizationId: string, version?: number, tx?: Tx) => Promise<OrganizationBank>
  invalidate: (organizationId: string) => void
  pool: (bank: OrganizationBank, exam: ExamDefinition) => Pool
}

interface Entry {
  loading: Promise<OrganizationBank>
  /** Set once loaded. */
  bank?: OrganizationBank
}

export function createBankCache (db: Db, options: BankCacheOptions): BankCache {
  const banks = new Map<string, Entry>()

  // The version is read before the items, so a bank is never older than the version it carries (at worst a
  // change committed between the two reads makes it look stale and it is read again).
  const load = async (organizationId: string, via: Db | Tx): Promise<OrganizationBank> => {
    const [row] = await via.select({ version: itemBankVersions.version }).from(itemBankVersions).where(eq(itemBankVersions.organizationId, organizationId))
    const rows: BankItem[] = await via.select({
      id: items.id, subject: items.subject, topics: items.topics, a: items.a, b: items.b, c: items.c, d: items.d, status: items.status,
      correctIndex: items.correctIndex, optionCount: sql<number>`jsonb_array_length(${items.options})::int`
    }).from(items).where(eq(items.organizationId, organizationId)).orderBy(items.id)
    return { organizationId, version: row?.version ?? 0, items: new Map(rows.map((r) => [r.id, r])), pools: new Map() }
  }

  /** Items of the banks kept (loaded and not dropped). */
  let held = 0
  const perBank = Math.min(options.maxItems, options.totalItems)

  const invalidate = (organizationId: string): void => {
    held -= banks.get(organizationId)?.bank?.items.size ?? 0
    banks.delete(organizationId)
  }

  const keep = (organizationId: string, entry: Entry, bank: OrganizationBank): void => {
    entry.bank = bank
    held += bank.items.size
    // The least recently used banks go first; this one fits alone (perBank ≤ totalItems).
    for (const [other, e] of banks) {
      if (held <= options.totalItems) break
      if (e.bank !== undefined && other !== organizationId) invalidate(other)
    }
  }

  const start = (organizationId: string, via: Db | Tx): Entry => {
    const entry: Entry = { loading: load(organizationId, via) }
    const drop = (): void => { if (banks.get(organizationId) === entry) invalidate(organizationId) }
    entry.loading.then((bank) => {
      if (banks.get(organizationId) !== entry) return
      if (bank.items.size <= perBank) { keep(organizationId, entry, bank); return }
      // Those already waiting get it; the next request reads it again.
      drop()
      options.overCap?.(organizationId, bank.items.size)
    }, drop)
    invalidate(organizationId)
    while (banks.size >= options.maxOrganizations) invalidate(banks.keys().next().value!)
    banks.set(organizationId, entry)
    return entry
  }

  /** The entry held, now the most recently used. */
  const touch = (organizationId: string): Entry | undefined => {
    const entry = banks.get(organizationId)
    if (entry !== undefined) { banks.delete(organizationId); banks.set(organizationId, entry) }
    return entry
  }

  return {
    get: async (organizationId, version = 0, tx) => {
      const entry = touch(organizationId)
      if (tx !== undefined) {
        if (entry?.bank !== undefined && entry.bank.version >= version) return entry.bank
        return await start(organizationId, tx).loading
      }
      const bank = await (entry ?? start(organizationId, db)).loading
      if (bank.version >= version) return bank
      // Whatever is held now was loaded after the caller read `version` (or is being), so it is at least that new.
      if (banks.get(organizationId) === entry) invalidate(organizationId)
      return await (banks.get(organizationId) ?? start(organizationId, db)).loading
    },
    invalidate,
    pool: (bank, exam) => {
      const pool = bank.pools.get(exam.id) ?? buildPool(bank, exam)
      bank.pools.delete(exam.id)
      bank.pools.set(exam.id, pool)
      if (bank.pools.size > MAX_POOLS) bank.pools.delete(bank.pools.keys().next().value!)
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
