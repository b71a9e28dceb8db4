// The demo item bank: made-up but well-formed items over two subjects, with IRT parameters spread over the
// ability range so an adaptive exam has something to choose from at every level. Deterministic: the same
// bank every time.

export interface SeedItem {
  stem: string
  options: string[]
  correctIndex: number
  subject: string
  topics: string[]
  a: number
  b: number
  c: number
  status: 'active'
}

export const SUBJECTS = {
  math: ['algebra', 'geometry', 'fractions', 'statistics'],
  reading: ['vocabulary', 'comprehension', 'grammar', 'inference']
} as const

export function itemBank (perSubject = 100): SeedItem[] {
  const items: SeedItem[] = []
  for (const [subject, topics] of Object.entries(SUBJECTS)) {
    for (let i = 0; i < perSubject; i++) {
      const topic = topics[i % topics.length]!
      const right = (i * 7) % 50 + 2
      // Wrong answers near the right one, all different from it and from each other.
      const options = [right, right + 1, right - 1, right + 10].map(String)
      const correctIndex = i % 4
      ;[options[0], options[correctIndex]] = [options[correctIndex]!, options[0]!]
      items.push({
        stem: subject === 'math' ? `(${topic}) Demo question ${i + 1}: which number is ${right}?` : `(${topic}) Demo passage ${i + 1}: which word count is ${right}?`,
        options,
        correctIndex,
        subject,
        topics: [topic],
        a: round(0.7 + (i % 6) * 0.25),
        b: round(-2.5 + (5 * i) / (perSubject - 1)),
        c: subject === 'math' ? 0.15 : 0.2,
        status: 'active'
      })
    }
  }
  return items
}

const round = (x: number): number => Math.round(x * 1000) / 1000
