// The rules that make an exam's pool out of its organization's bank: a fixed form takes its listed items that
// are active or pretest, an adaptive exam the active items of its subject and topics (and its pretest items,
// given now and then, never scored). Pure; the pools built are kept on the bank they were built from.
import { contentTargets, createItemBank, createSelectionScratch } from '@dreamseed/irt'
import type { BankItem, ExamDefinition, OrganizationBank, Pool } from './model.js'

/** Pools kept per bank (one per exam in use, least recently used dropped first): each holds arrays the size of the bank. */
export const MAX_POOLS = 16

/** The exam's pool from this bank: built once per bank version and kept with it. */
export function poolOf (bank: OrganizationBank, exam: ExamDefinition): Pool {
  const pool = bank.pools.get(exam.id) ?? buildPool(bank, exam)
  bank.pools.delete(exam.id)
  bank.pools.set(exam.id, pool)
  if (bank.pools.size > MAX_POOLS) bank.pools.delete(bank.pools.keys().next().value!)
  return pool
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
