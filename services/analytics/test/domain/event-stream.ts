// A generated stream of every event type analytics reads, from a seed: several organizations with classrooms,
// students, items, exams and sessions, interleaved, with what a real stream holds besides — events out of order
// (responses before their session's start, older item changes after newer ones, a removal at the same instant
// as an add), the same event delivered again near and far, events analytics ignores, events that break their
// contract — and a few no producer should send but a consumer must still apply the same way whatever the
// batching: a session's events naming another student or organization, two responses at one position; proctors'
// extensions and voids among them (a void sometimes before the responses it removes). Events
// carry the fields added within v1 (an item's type, categories and irt, a response's score, a session's
// per-type results) or, like events from before them, do not.
import {
  classroomCreatedV1, classroomMemberAddedV1, classroomMemberRemovedV1, examAssignmentChangedV1, examItemChangedV1, examResponseRecordedV1, examSessionCompletedV1,
  examSessionExtendedV1, examSessionStartedV1, examSessionVoidedV1, newEnvelope, newEventId, organizationMemberAddedV1, userCreatedV1, userDisabledV1, userRoleChangedV1, userVerifiedV1, type Envelope
} from '@dreamseed/events'
import type { ExamItemChangedV1, ExamResponseRecordedV1, ReceivedEvent } from '@dreamseed/events'

const T0 = Date.parse('2026-03-02T09:00:00.000Z')
const iso = (ms: number): string => new Date(ms).toISOString()

/** mulberry32: the same numbers for the same seed, so a failure can be replayed. */
function random (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const received = (envelope: Envelope<unknown>, streamSequence = 1): ReceivedEvent => ({ envelope, subject: `x.${envelope.type}.v${envelope.version}`, deliveryCount: 1, streamSequence, lastAttempt: false })

/** An item.changed's fields added within v1, for an item of that kind (null: none, as before item types). */
function kindFields (kind: { type: 'single' | 'multiple' | 'rating', categories: number } | null, r: () => number): Partial<ExamItemChangedV1> {
  if (kind === null) return {}
  if (kind.categories === 2) return { type: kind.type }
  const steps = Array.from({ length: kind.categories - 1 }, (_, k) => k - 1 + r())
  return { type: kind.type, categories: kind.categories, irt: kind.type === 'rating' ? { model: 'GRM', a: 0.5 + r(), b: steps } : { model: 'GPCM', a: 0.5 + r(), delta: steps } }
}

export function eventStream (seed: number, size: { organizations: number, studentsEach: number } = { organizations: 3, studentsEach: 6 }): Array<Envelope<unknown>> {
  const r = random(seed)
  const int = (n: number): number => Math.floor(r() * n)
  const pick = <T>(xs: T[]): T => xs[int(xs.length)]!
  // Each lane is one aggregate's events in the order its producer sends them; lanes are then interleaved.
  const lanes: Array<Array<Envelope<unknown>>> = []

  for (let o = 0; o < size.organizations; o++) {
    const organizationId = newEventId()
    const teacherId = newEventId()
    const classrooms = [newEventId(), newEventId()]
    const students = Array.from({ length: size.studentsEach }, () => newEventId())
    const items = Array.from({ length: 8 }, () => newEventId())
    // Half the items as exam describes them since item types (some polytomous), half as before.
    const kinds = new Map(items.map((itemId) => [itemId, r() < 0.5 ? null : pick([{ type: 'multiple', categories: 3 }, { type: 'rating', categories: 5 }, { type: 'single', categories: 2 }] as const)]))
    const exams = [newEventId(), newEventId()]

    lanes.push([
      newEnvelope(userCreatedV1, { userId: teacherId, email: `t${o}@example.org`, displayName: `Teacher ${o}`, role: 'teacher', verification: { sealedToken: 'x', expiresAt: iso(T0) } }),
      newEnvelope(organizationMemberAddedV1, { organizationId, userId: teacherId, role: 'teacher', source: 'admin', addedBy: null }),
      newEnvelope(userVerifiedV1, { userId: teacherId, email: `t${o}@example.org`, verifiedAt: iso(T0) }),
      ...classrooms.map((classroomId, c) => newEnvelope(classroomCreatedV1, { classroomId, organizationId, teacherId, name: `Class ${o}${c}`, createdAt: iso(T0) }))
    ])
    for (const [s, userId] of students.entries()) {
      const classroomId = classrooms[s % 2]!
      const joined = T0 + int(5) * 1000
      const lane: Array<Envelope<unknown>> = [
        newEnvelope(userCreatedV1, { userId, email: `s${o}-${s}@example.org`, displayName: `Student ${o}-${s}`, role: 'student', verification: { sealedToken: 'x', expiresAt: iso(T0) } }),
        newEnvelope(classroomMemberAddedV1, { classroomId, organizationId, userId, role: 'student', joinedAt: iso(joined) })
      ]
      // Some leave: at the same instant as their joining for a few (the removal wins), later for others.
      if (r() < 0.3) lane.push(newEnvelope(classroomMemberRemovedV1, { classroomId, organizationId, userId, role: 'student', removedBy: teacherId, removedAt: iso(joined + int(2) * 1000) }))
      if (r() < 0.2) lane.push(newEnvelope(userRoleChangedV1, { userId, organizationId: r() < 0.5 ? organizationId : null, previousRole: 'student', role: pick(['teacher', 'student'] as const), changedBy: teacherId, changedAt: iso(T0 + int(4) * 1000) }))
      if (r() < 0.1) lane.push(newEnvelope(userDisabledV1, { userId, organizationId, disabledBy: teacherId, disabledAt: iso(T0 + 9000) }))
      lanes.push(lane)
    }
    for (const itemId of items) {
      // Changes with random times: an older one often comes after a newer one, and some never come at all.
      lanes.push(Array.from({ length: int(3) }, () => newEnvelope(examItemChangedV1, {
        itemId, organizationId, subject: pick(['math', 'physics']), topics: [pick(['algebra', 'geometry'])], status: pick(['draft', 'pretest', 'active', 'retired'] as const), a: 0.5 + r(), b: r() * 4 - 2, c: 0, d: 1,
        ...kindFields(kinds.get(itemId)!, r), changedAt: iso(T0 + int(6) * 1000)
      })))
    }
    for (const examId of exams) {
      lanes.push(Array.from({ length: 1 + int(3) }, () => newEnvelope(examAssignmentChangedV1, {
        examId, classroomId: pick(classrooms), organizationId, title: pick(['Algebra', 'Forces']), examKind: pick(['adaptive', 'fixed'] as const), subject: pick(['math', 'physics']), assigned: r() < 0.7, changedBy: teacherId, changedAt: iso(T0 + int(6) * 1000)
      })))
    }
    for (const studentId of students) {
      for (let n = 1 + int(3); n > 0; n--) {
        const examId = pick(exams)
        const sessionId = newEventId()
        const at = T0 + int(100) * 60_000
        const base = { sessionId, examId, organizationId, studentId }
        const answers = 2 + int(10)
        const lane: Array<Envelope<unknown>> = [newEnvelope(examSessionStartedV1, { ...base, examKind: pick(['adaptive', 'fixed'] as const), startTheta: 0, startedAt: iso(at), deadlineAt: null })]
        for (let position = 0; position < answers; position++) {
          const itemId = pick(items)
          const maxScore = (kinds.get(itemId)?.categories ?? 2) - 1
          const score = kinds.get(itemId) === null ? undefined : int(maxScore + 1)
          lane.push(newEnvelope(examResponseRecordedV1, {
            ...base, itemId, position, ...(score === undefined ? { correct: r() < 0.6 } : { correct: score === maxScore, score, maxScore }), pretest: r() < 0.15, thetaAfter: r() * 4 - 2, seAfter: 0.2 + r(), timeTakenMs: r() < 0.1 ? null : 500 + int(9000), servedAt: iso(at + position * 60_000), answeredAt: iso(at + position * 60_000 + int(86_400_000))
          }))
        }
        if (r() < 0.8) {
          lane.push(newEnvelope(examSessionCompletedV1, {
            ...base, ...(r() < 0.3 ? {} : { subject: pick(['math', null]) }), reason: 'max-items', theta: r() * 4 - 2, se: 0.3, itemsAnswered: answers, correctCount: int(answers), topics: [],
            ...(r() < 0.5 ? {} : { types: [{ type: 'single' as const, answered: answers, correct: int(answers), score: int(answers), maxScore: answers }, ...(r() < 0.5 ? [] : [{ type: 'rating' as const, answered: 1, correct: 0, score: 2, maxScore: 4 }])] }),
            startedAt: iso(at), completedAt: iso(at + answers * 60_000)
          }))
        }
        // Extensions by a teacher, among the responses, and sometimes two; a void after the end (or before it,
        // for a session voided while live: exam writes both in one statement).
        for (let k = r() < 0.25 ? 1 + int(2) : 0; k > 0; k--) {
          lane.splice(1 + int(lane.length - 1), 0, newEnvelope(examSessionExtendedV1, { ...base, by: teacherId, seconds: 1 + int(3600), deadlineAt: iso(at + int(200) * 60_000), at: iso(at + int(60) * 60_000) }))
        }
        if (r() < 0.2) lane.push(newEnvelope(examSessionVoidedV1, { ...base, by: teacherId, reason: pick(['copied', 'phone on the desk']), at: iso(at + int(300) * 60_000) }))
        // Out of order: the start after some responses, or the completion first.
        if (r() < 0.2) lane.push(lane.shift()!)
        if (r() < 0.1 && lane.length > 2) lane.unshift(lane.pop()!)
        lanes.push(lane)
      }
      // Events no producer should send, applied all the same: a second response at a taken position, a
      // session whose responses name another organization, a start naming another student.
      if (r() < 0.6) {
        const last = lanes[lanes.length - 1]!
        const response = last.find((e) => e.type === 'exam.response.recorded')
        if (response !== undefined) {
          const data = response.data as ExamResponseRecordedV1
          // Right behind the first, so both often fall in one batch.
          last.splice(last.indexOf(response) + 1, 0, newEnvelope(examResponseRecordedV1, { ...data, correct: !data.correct }))
          if (r() < 0.5) last.unshift(newEnvelope(examResponseRecordedV1, { ...data, organizationId: newEventId(), examId: newEventId(), position: 99 }))
          else last.push(newEnvelope(examSessionStartedV1, { sessionId: data.sessionId, examId: data.examId, organizationId, studentId: newEventId(), examKind: 'fixed', startTheta: 0, startedAt: iso(T0), deadlineAt: null }))
        }
      }
    }
  }

  // Interleave the lanes at random, each keeping its own order.
  const stream: Array<Envelope<unknown>> = []
  const open = lanes.filter((l) => l.length > 0).map((l) => [...l])
  while (open.length > 0) {
    const i = int(open.length)
    stream.push(open[i]!.shift()!)
    if (open[i]!.length === 0) open.splice(i, 1)
  }
  // Redeliveries, a few places later (often in the same batch) or far later (in another), and events that
  // break their contract, which both ways reject.
  for (let i = 0; i < stream.length; i++) {
    if (r() < 0.08) stream.splice(Math.min(stream.length, i + 1 + int(r() < 0.5 ? 5 : 300)), 0, stream[i]!)
  }
  // The victims are events analytics reads that name an organization, so that each breach is one it checks.
  const checked = stream.filter((e) => e.type !== userVerifiedV1.type && typeof (e.data as { organizationId?: unknown }).organizationId === 'string')
  for (let k = 0; k < 4; k++) {
    const victim = checked[int(checked.length)]!
    stream.splice(int(stream.length), 0, { ...victim, id: newEventId(), data: { ...(victim.data as object), organizationId: 'not-a-uuid' } })
  }
  return stream
}
