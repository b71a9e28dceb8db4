// The rules that make an exam's pool out of its organization's bank: a fixed form takes its listed items that
// are active or pretest, an adaptive exam the active items of its subject and topics (and its pretest items,
// given now and then, never scored); and whether a new exam's pool holds what it asks for. Pure; the pools
// built are kept on the bank they were built from.
import { contentTargets, createItemBank, createSelectionScratch, itemSetIndex, type Item } from '@dreamseed/irt'
import type { ErrorDetail } from '@dreamseed/kit'
import type { ExamPlan } from './exam-input.js'
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

/** The item as the IRT engine models it: its polytomous model, or its four logistic parameters. */
export const irtItem = (item: BankItem): Item => item.irt ?? { a: item.a, b: item.b, c: item.c, d: item.d }

/** Each passage's items among `items` (passage id → its items in the passage's order). */
export function passageGroups<T extends { passageId: string | null, passagePosition: number | null }> (items: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    if (item.passageId === null) continue
    const group = groups.get(item.passageId)
    if (group === undefined) groups.set(item.passageId, [item])
    else group.push(item)
  }
  for (const group of groups.values()) group.sort((x, y) => x.passagePosition! - y.passagePosition!)
  return groups
}

/**
 * A fixed form in the order it is given: as listed, except that a passage's items follow one another in the
 * passage's order, from where the first of them is listed.
 */
export function formOrder (items: BankItem[]): BankItem[] {
  const groups = passageGroups(items)
  const out: BankItem[] = []
  for (const item of items) {
    if (item.passageId === null) { out.push(item); continue }
    const group = groups.get(item.passageId)
    if (group === undefined) continue
    groups.delete(item.passageId)
    out.push(...group)
  }
  return out
}

/** Each passage's items among `items`, in the passage's order (passages with one item in the pool are no set). */
function passageSets (items: BankItem[]): string[][] {
  return [...passageGroups(items).values()].filter((g) => g.length > 1).map((g) => g.map((i) => i.id))
}

function buildPool (bank: OrganizationBank, exam: ExamDefinition): Pool {
  const targets = exam.settings.contentTargets
  let scored: BankItem[]
  let pretest: string[] = []
  if (exam.kind === 'fixed') {
    scored = formOrder(exam.itemIds.map((id) => bank.items.get(id)).filter((i): i is BankItem => i !== undefined && (i.status === 'active' || i.status === 'pretest')))
  } else {
    const candidates = [...bank.items.values()].filter((i) => inAdaptivePool(i, exam))
    scored = candidates.filter((i) => i.status === 'active')
    pretest = exam.settings.pretestRate > 0 ? candidates.filter((i) => i.status === 'pretest').map((i) => i.id) : []
  }
  const irtBank = createItemBank(scored.map((i) => {
    const topic = balancingTopic(i, targets)
    return { id: i.id, ...irtItem(i), ...(topic === undefined ? {} : { topic }) }
  }))
  const ids = scored.map((i) => i.id)
  const usableTargets = Object.fromEntries(Object.entries(targets ?? {}).filter(([t, w]) => w > 0 && irtBank.topics.includes(t)))
  const sh = exam.settings.sympsonHetter
  return {
    bank: irtBank,
    ids,
    index: new Map(ids.map((id, i) => [id, i])),
    scratch: createSelectionScratch(irtBank, exam.settings.randomesque),
    excluded: new Uint8Array(irtBank.size),
    targets: exam.kind === 'adaptive' && Object.keys(usableTargets).length > 0 ? contentTargets(irtBank.topics, usableTargets) : undefined,
    sympsonHetter: exam.kind === 'adaptive' && sh !== undefined ? Float64Array.from(ids, (id) => sh[id] ?? 1) : undefined,
    pretest,
    sets: exam.kind === 'adaptive' ? setsOf(irtBank, scored) : undefined,
    enemies: new Map([...bank.items.values()].filter((i) => i.enemyIds.length > 0).map((i) => [i.id, i.enemyIds]))
  }
}

function setsOf (irtBank: Pool['bank'], scored: BankItem[]): Pool['sets'] {
  const sets = passageSets(scored)
  return sets.length === 0 ? undefined : itemSetIndex(irtBank, sets)
}

/** The problems of a plan against the organization's bank as it is now. */
export function poolProblems (plan: ExamPlan, bank: OrganizationBank): ErrorDetail[] {
  const problems: ErrorDetail[] = []
  if (plan.kind === 'fixed') {
    const listed = new Map<string, number>()
    plan.itemIds.forEach((id, i) => {
      const item = bank.items.get(id)
      if (item === undefined || (item.status !== 'active' && item.status !== 'pretest')) problems.push({ path: `itemIds.${i}`, message: 'is not an active item of your organization' })
      else listed.set(id, i)
    })
    for (const [id, i] of listed) {
      const enemy = bank.items.get(id)!.enemyIds.find((e) => listed.has(e))
      if (enemy !== undefined && listed.get(enemy)! > i) problems.push({ path: `itemIds.${listed.get(enemy)!}`, message: `is an enemy of itemIds.${i}: the two are never given in one session` })
    }
    return problems
  }
  const pool = [...bank.items.values()].filter((i) => i.status === 'active' && inAdaptivePool(i, plan))
  if (pool.length === 0) problems.push({ path: 'subject', message: 'no active item of your organization is in this pool' })
  const topics = new Set(pool.flatMap((i) => i.topics))
  for (const topic of Object.keys(plan.settings.contentTargets ?? {})) {
    if (!topics.has(topic)) problems.push({ path: `contentTargets.${topic}`, message: 'no active item of the pool has this topic' })
  }
  const ids = new Set(pool.map((i) => i.id))
  for (const id of Object.keys(plan.settings.sympsonHetter ?? {})) {
    if (!ids.has(id)) problems.push({ path: `sympsonHetter.${id}`, message: 'is not an active item of the pool' })
  }
  return problems
}
