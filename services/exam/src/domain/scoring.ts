// How an answer of each item type is scored into a category (0 = no credit .. max = full credit), and how many
// categories a type scores into. Pure, linear in the answer; the answer's shape was checked at the edge, its
// fit to the item (the right kind, options in range) is checked here.
import type { ItemAnswer, ItemKey } from '@dreamseed/schema/exam'

/** The item types, in the order results list them. */
export const ITEM_TYPES = ['single', 'multiple', 'numeric', 'text', 'rating'] as const
export type ItemTypeName = typeof ITEM_TYPES[number]

/** What scoring needs of an item: not its text. */
export interface ScoringItem {
  type: ItemTypeName
  optionCount: number
  correctIndex: number | null
  key: ItemKey | null
}

/** An answer as a student gives it: an option (single, rating), options (multiple), a number, or a text. */
export type GivenAnswer = { optionIndex: number } | ItemAnswer

/** Longest text answer, in characters. */
export const MAX_TEXT_ANSWER = 1000

/** Categories an item scores into: 2 for right/wrong, 1 + the correct options for partial credit, one per rating option. */
export function scoreCategories (item: Pick<ScoringItem, 'type' | 'optionCount' | 'key'>): number {
  if (item.type === 'rating') return item.optionCount
  if (item.type === 'multiple' && item.key !== null && 'correctIndices' in item.key && item.key.scoring === 'partial') return item.key.correctIndices.length + 1
  return 2
}

/** Why an answer cannot be scored against an item. */
export type AnswerMismatch = 'wrong-kind' | 'option-out-of-range'

const ANSWER_KIND: Record<ItemTypeName, string> = { single: 'optionIndex', rating: 'optionIndex', multiple: 'choices', numeric: 'value', text: 'text' }

/** The field an answer to this item type is given in. */
export const answerField = (type: ItemTypeName): string => ANSWER_KIND[type]

/** Unicode NFC, lower case, and every run of white space one space, without the ends: "  Paris\tFrance " ≡ "paris france". */
export function foldText (s: string): string {
  return s.normalize('NFC').toLowerCase().trim().replace(/\s+/gu, ' ')
}

/** Room for a decimal written in the key and read back as the nearest double. */
const closeEnough = (x: number, v: number, tolerance: number): boolean => Math.abs(x - v) <= tolerance + 1e-9 * Math.max(1, Math.abs(v))

export function scoreAnswer (item: ScoringItem, answer: GivenAnswer): number | AnswerMismatch {
  const key = item.key
  if (!(ANSWER_KIND[item.type] in answer)) return 'wrong-kind'
  switch (item.type) {
    case 'single':
    case 'rating': {
      const i = (answer as { optionIndex: number }).optionIndex
      if (i >= item.optionCount) return 'option-out-of-range'
      return item.type === 'rating' ? i : i === item.correctIndex ? 1 : 0
    }
    case 'multiple': {
      const choices = (answer as { choices: number[] }).choices
      if (choices.some((c) => c >= item.optionCount)) return 'option-out-of-range'
      const k = key as { correctIndices: number[], scoring: 'partial' | 'all-or-nothing' }
      const correct = new Set(k.correctIndices)
      const right = choices.filter((c) => correct.has(c)).length
      const wrong = choices.length - right
      if (k.scoring === 'all-or-nothing') return right === correct.size && wrong === 0 ? 1 : 0
      return Math.max(0, right - wrong)
    }
    case 'numeric': {
      const x = (answer as { value: number }).value
      const k = key as { value: number, tolerance: number } | { values: number[] }
      return ('values' in k ? k.values.some((v) => closeEnough(x, v, 0)) : closeEnough(x, k.value, k.tolerance)) ? 1 : 0
    }
    case 'text': {
      const given = foldText((answer as { text: string }).text)
      return (key as { accepted: string[] }).accepted.some((a) => foldText(a) === given) ? 1 : 0
    }
  }
}
