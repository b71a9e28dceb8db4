// Choosing the next item without I/O: Sympson-Hetter as its parameters are derived, where an item passed over
// is not offered again in the session.
import t from 'tap'
import { createItemBank, createSelectionScratch, information, toItem } from '@dreamseed/irt'
import { nextStep } from '../../src/domain/cat-step.js'
import type { ExamDefinition, Pool, RecordedResponse } from '../../src/domain/model.js'

const items = Array.from({ length: 40 }, (_, i) => ({ id: `item-${i}`, a: 0.8 + (i % 7) / 5, b: -2 + i / 10, c: 0, d: 1 }))
const bank = createItemBank(items)
const exam: ExamDefinition = {
  id: 'exam', organizationId: 'org', kind: 'adaptive', subject: 'math', topics: [], itemIds: [],
  settings: { estimator: 'EAP', startTheta: 0, randomesque: 1, pretestRate: 0 },
  stopping: { minItems: 1, maxItems: 10 }
}
const theta = 0.3
const hottest = items.reduce((best, it, i) => information(theta, toItem(it), 1) > information(theta, toItem(items[best]!), 1) ? i : best, 0)

function pool (k: Float64Array): Pool {
  return { bank, ids: items.map((i) => i.id), index: new Map(items.map((it, i) => [it.id, i])), scratch: createSelectionScratch(bank), excluded: new Uint8Array(bank.size), targets: undefined, sympsonHetter: k, pretest: [], sets: undefined, enemies: new Map() }
}

/** The items of a 10-item session at a fixed ability, where the hottest item is the best at every step. */
function session (seed: number, p: Pool): string[] {
  const responses: RecordedResponse[] = []
  const at = new Date(0)
  for (;;) {
    const step = nextStep({ exam, seed, deadlineAt: null }, p, responses, { theta, se: 1 }, at)
    if (step.done) return responses.map((r) => r.itemId)
    responses.push({ position: responses.length, itemId: step.itemId, optionIndex: 0, answer: null, score: 1, maxScore: 1, correct: true, pretest: false, thetaAfter: theta, seAfter: 1, timeTakenMs: null, servedAt: at, answeredAt: at, rapidGuess: false, thresholdMs: null })
  }
}

t.test('an item Sympson-Hetter passes over is not offered again in the session', async (t) => {
  const k = new Float64Array(items.length).fill(1)
  k[hottest] = 0.5
  const p = pool(k)
  const id = items[hottest]!.id
  let first = 0
  let later = 0
  for (let seed = 1; seed <= 400; seed++) {
    const given = session(seed, p)
    t.equal(given.length, 10)
    if (given[0] === id) first++
    else if (given.includes(id)) later++
  }
  // Given in the sessions whose one draw is below K (binomial(400, 0.5): within 4 SDs), and never after a refusal
  // (drawing again at each step would give it at the second step in about half of the others).
  t.ok(first >= 160 && first <= 240, `given first in ${first} of 400 sessions`)
  t.equal(later, 0, 'never given after it was passed over')
  t.same(session(17, p), session(17, p), 'the same seed makes the same choices')
})

t.test('items at K = 1 or not listed are not affected, K = 0 never given', async (t) => {
  const open = session(3, pool(new Float64Array(items.length).fill(1)))
  t.equal(open[0], items[hottest]!.id, 'without restriction the hottest item comes first')
  const k = new Float64Array(items.length).fill(1)
  k[hottest] = 0
  for (let seed = 1; seed <= 20; seed++) t.notOk(session(seed, pool(k)).includes(items[hottest]!.id), `seed ${seed}`)
})
