// Scoring of each item type, as a unit: expected categories written out by hand.
import t from 'tap'
import { foldText, scoreAnswer, scoreCategories, type ScoringItem } from '../../src/domain/scoring.js'

const single: ScoringItem = { type: 'single', optionCount: 4, correctIndex: 2, key: null }
const partial: ScoringItem = { type: 'multiple', optionCount: 5, correctIndex: null, key: { correctIndices: [0, 2, 4], scoring: 'partial' } }
const allOrNothing: ScoringItem = { ...partial, key: { correctIndices: [0, 2, 4], scoring: 'all-or-nothing' } }
const tolerant: ScoringItem = { type: 'numeric', optionCount: 0, correctIndex: null, key: { value: 2.5, tolerance: 0.1 } }
const listed: ScoringItem = { type: 'numeric', optionCount: 0, correctIndex: null, key: { values: [0.5, 1.5] } }
const text: ScoringItem = { type: 'text', optionCount: 0, correctIndex: null, key: { accepted: ['New York', 'Café'] } }
const rating: ScoringItem = { type: 'rating', optionCount: 5, correctIndex: null, key: null }

t.test('categories per type', async (t) => {
  t.same([single, partial, allOrNothing, tolerant, text, rating].map(scoreCategories), [2, 4, 2, 2, 2, 5])
})

t.test('single and rating', async (t) => {
  t.same([0, 1, 2, 3].map((i) => scoreAnswer(single, { optionIndex: i })), [0, 0, 1, 0])
  t.same([0, 4].map((i) => scoreAnswer(rating, { optionIndex: i })), [0, 4], 'a rating scores its category')
  t.equal(scoreAnswer(single, { optionIndex: 4 }), 'option-out-of-range')
  t.equal(scoreAnswer(single, { choices: [2] }), 'wrong-kind')
})

t.test('multiple: right choices minus wrong ones, never below zero; or all or nothing', async (t) => {
  const cases: Array<[number[], number, number]> = [
    [[0, 2, 4], 3, 1],
    [[0, 2], 2, 0],
    [[0, 1, 2, 4], 2, 0],
    [[1, 3], 0, 0],
    [[0, 1, 3], 0, 0],
    [[], 0, 0]
  ]
  for (const [choices, p, a] of cases) {
    t.equal(scoreAnswer(partial, { choices }), p, `partial ${JSON.stringify(choices)}`)
    t.equal(scoreAnswer(allOrNothing, { choices }), a, `all or nothing ${JSON.stringify(choices)}`)
  }
  t.equal(scoreAnswer(partial, { choices: [5] }), 'option-out-of-range')
})

t.test('numeric: within the tolerance, or one of the values', async (t) => {
  t.same([2.4, 2.5, 2.6, 2.61, 2.39].map((value) => scoreAnswer(tolerant, { value })), [1, 1, 1, 0, 0])
  t.same([0.5, 1.5, 1, 0.50000001].map((value) => scoreAnswer(listed, { value })), [1, 1, 0, 0])
  t.equal(scoreAnswer(tolerant, { text: '2.5' }), 'wrong-kind')
})

t.test('text: NFC, case and white space folded', async (t) => {
  t.same(['new york', '  NEW\t\nYORK ', 'newyork', 'Cafe\u0301', 'CAFÉ', 'cafe'].map((given) => scoreAnswer(text, { text: given })), [1, 1, 0, 1, 1, 0])
  t.equal(foldText('  A\u00a0 b  '), 'a b')
})
