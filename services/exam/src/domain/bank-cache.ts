// Each organization's items held in memory, with the IRT pools built from them per exam (item-pool.ts), so
// choosing and scoring an item never reads the database. Only what choosing and scoring need is held
// (parameters, subject, topics, status, the key and the number of options); an item's stem and options are
// read when it is shown (sessions-repository.ts). Every status is held (an item retired mid-session still
// scores the answers given to it); pools only take active items (and pretest items as such). The database stays the truth: every item change
// bumps the organization's bank version, requests read that version in a statement they run anyway and ask
// for a bank at least that new, and an answer is written only if the version it was computed with is still the
// current one. A change made here also drops the bank at once.
//
// Memory is bounded (about 300 bytes an item, measured): at most EXAM_BANK_CACHE_ORGANIZATIONS banks and
// EXAM_BANK_CACHE_TOTAL_ITEMS items in all (least recently used banks dropped first), each bank of at most
// EXAM_BANK_CACHE_MAX_ITEMS items with at most MAX_POOLS pools. A bank past the item cap is not kept: every
// request that needs it reads it from Postgres again (requests waiting at the same moment share one read),
// slower but the same answers; each such read is counted (exam_bank_uncached_loads_total) and warned of.
import type { OrganizationBank } from './model.js'

/** Reads an organization's bank from the database (item-bank-repository.ts). */
export type BankLoader = (organizationId: string) => Promise<OrganizationBank>

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
   * older version is dropped and read again. A transaction passes its own loader as `load`: a bank it needs is read
   * through it, never awaited from a read through the pool, whose connections may all be waiting for its locks.
   */
  get: (organizationId: string, version?: number, load?: BankLoader) => Promise<OrganizationBank>
  invalidate: (organizationId: string) => void
}

interface Entry {
  loading: Promise<OrganizationBank>
  /** Set once loaded. */
  bank?: OrganizationBank
}

export function createBankCache (load: BankLoader, options: BankCacheOptions): BankCache {
  const banks = new Map<string, Entry>()

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

  const start = (organizationId: string, via: BankLoader): Entry => {
    const entry: Entry = { loading: via(organizationId) }
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
    get: async (organizationId, version = 0, within) => {
      const entry = touch(organizationId)
      if (within !== undefined) {
        if (entry?.bank !== undefined && entry.bank.version >= version) return entry.bank
        return await start(organizationId, within).loading
      }
      const bank = await (entry ?? start(organizationId, load)).loading
      if (bank.version >= version) return bank
      // Whatever is held now was loaded after the caller read `version` (or is being), so it is at least that new.
      if (banks.get(organizationId) === entry) invalidate(organizationId)
      return await (banks.get(organizationId) ?? start(organizationId, load)).loading
    },
    invalidate
  }
}
