// Import lines of every item type, shared by the tests of the item routes and of QTI.
/** One item of each type, a passage with two items, and two enemies, as import lines. */
export const everyType = [
  { kind: 'passage', ref: 'p1', title: 'The river', stimulus: 'The river rises in the hills and reaches the sea after 300 km.' },
  { ref: 's1', stem: 'Two plus two?', options: ['3', '4', '5'], correctIndex: 1, subject: 'math', b: -1, status: 'active' },
  { ref: 'q1', stem: 'Where does the river rise?', options: ['hills', 'sea'], correctIndex: 0, subject: 'math', passage: 'p1', b: 0, status: 'active' },
  { ref: 'q2', stem: 'How long is the river (km)?', type: 'numeric', numeric: { value: 300 }, subject: 'math', passage: 'p1', b: 0.5, status: 'active' },
  { ref: 'm1', type: 'multiple', stem: 'Which are even?', options: ['2', '3', '4', '5'], correctIndices: [0, 2], subject: 'math', irt: { model: 'GPCM', a: 1.1, delta: [-0.5, 0.5] }, status: 'active' },
  { ref: 'm2', type: 'multiple', stem: 'Which are prime?', options: ['2', '3', '4'], correctIndices: [0, 1], scoring: 'all-or-nothing', subject: 'math', b: 0.2, status: 'active' },
  { ref: 'n1', type: 'numeric', stem: 'Pi to two decimals?', numeric: { value: 3.14, tolerance: 0.005 }, subject: 'math', b: 1, status: 'active' },
  { ref: 't1', type: 'text', stem: 'Capital of France?', accepted: ['Paris'], subject: 'math', b: -0.5, status: 'active' },
  { ref: 'r1', type: 'rating', stem: 'I enjoy maths.', options: ['never', 'sometimes', 'often', 'always'], subject: 'math', irt: { model: 'GRM', a: 1.2, b: [-1, 0, 1] }, status: 'active' },
  { ref: 'e1', stem: 'Three plus three?', options: ['6', '7'], correctIndex: 0, subject: 'math', b: 0, status: 'active' },
  { ref: 'e2', stem: 'Six minus three?', options: ['3', '4'], correctIndex: 0, subject: 'math', b: 0, enemies: ['e1'], status: 'active' }
]
