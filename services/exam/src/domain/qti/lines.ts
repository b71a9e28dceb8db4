// The plain JSON shapes the exam service's import reads (one NDJSON line each): what a QTI package is
// turned into, and what an export is made from.

export type ItemStatus = 'draft' | 'pretest' | 'active' | 'retired'

export interface PassageLine {
  kind: 'passage'
  ref: string
  title?: string
  stimulus: string
}

export type PolytomousIrt =
  | { model: 'GRM', a: number, b: number[] }
  | { model: 'GPCM', a: number, delta: number[] }
  | { model: 'PCM', delta: number[] }
  | { model: 'RSM', lambda: number, delta: number[] }

export type NumericKey = { value: number, tolerance?: number } | { values: number[] }

export interface ItemLine {
  kind?: 'item'
  type: 'single' | 'multiple' | 'numeric' | 'text' | 'rating'
  ref: string
  stem: string
  subject: string
  topics?: string[]
  status?: ItemStatus
  passage?: string
  enemies?: string[]
  options?: string[]
  correctIndex?: number
  correctIndices?: number[]
  scoring?: 'partial' | 'all-or-nothing'
  numeric?: NumericKey
  accepted?: string[]
  a?: number
  b?: number
  c?: number
  d?: number
  irt?: PolytomousIrt
}

export const LINE_LIMITS = { ref: 100, stem: 10_000, stimulus: 50_000, minOptions: 2, maxOptions: 10, maxAccepted: 20, accepted: 500 } as const
export const ITEM_STATUSES: readonly ItemStatus[] = ['draft', 'pretest', 'active', 'retired']

/** Highest score category of a polytomous item, or 0 for a dichotomous one (scored right or wrong). */
export function highestCategory (line: Pick<ItemLine, 'type' | 'options' | 'correctIndices' | 'scoring'>): number {
  if (line.type === 'rating') return (line.options?.length ?? 0) - 1
  if (line.type === 'multiple' && line.scoring === 'partial' && (line.correctIndices?.length ?? 0) >= 2) return line.correctIndices!.length
  return 0
}
