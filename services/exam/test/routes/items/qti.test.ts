// QTI 3.0 packages through the routes (issue 19): an organization's items of every type, with a passage and
// enemies, exported and imported into another organization come back the same; a package with an item we
// cannot represent, or a hostile one, is refused with a reason per item and writes nothing; a student is
// refused before the body is read.
import t from 'tap'
import { strToU8, zipSync } from 'fflate'
import { buildExam, importBank, school, type ExamContext } from '../../helper.js'
import { CHOICE_BODY, item, itemWithBody, manifest, zipOf } from '../../domain/qti/builders.js'
import { everyType } from './every-type.js'

type Headers = Record<string, string>

const importZip = async (ctx: ExamContext, headers: Headers, zip: Uint8Array, query = '') =>
  await ctx.app.inject({ method: 'POST', url: `/exam/items/import${query}`, headers: { ...headers, 'content-type': 'application/zip' }, payload: Buffer.from(zip) })

/** What an organization holds, by ref, with no ids or dates: what an export carries. */
async function bank (ctx: ExamContext, organizationId: string) {
  const items = await ctx.sql`select i.ref, i.type, i.stem, i.options, i.correct_index, i.key, i.subject, i.topics, i.a, i.b, i.c, i.d, i.irt, i.status,
    p.ref as passage, i.passage_position, (select array_agg(e.ref order by e.ref) from exam.items e where e.id = any(i.enemy_ids)) as enemies
    from exam.items i left join exam.passages p on p.id = i.passage_id where i.organization_id = ${organizationId} order by i.ref`
  const passages = await ctx.sql`select ref, title, stimulus from exam.passages where organization_id = ${organizationId} order by ref`
  return { items: [...items], passages: [...passages] }
}

const count = async (ctx: ExamContext, organizationId: string): Promise<number> =>
  (await ctx.sql`select count(*)::int as n from exam.items where organization_id = ${organizationId}`)[0]!.n

t.test('items of every type, a passage and enemies exported as QTI 3.0 import elsewhere unchanged', async (t) => {
  const ctx = await buildExam(t)
  const a = await school(ctx, { items: [] as Array<Record<string, unknown>> })
  const b = await school(ctx, { items: [] as Array<Record<string, unknown>> })
  await importBank(ctx, a.teacher.headers, [...everyType, { ref: 'odd <&> "one"', stem: 'Ünïcödé & <markup> "quotes"?', options: ['α', 'β'], correctIndex: 1, subject: 'math', topics: ['greek', 'symbols'], a: 1.3, b: 0.4, c: 0.1, d: 0.95, status: 'draft' }])

  const exported = await ctx.app.inject({ method: 'GET', url: '/exam/items/export?format=qti3', headers: a.teacher.headers })
  t.equal(exported.statusCode, 200, exported.body.slice(0, 300))
  t.equal(exported.headers['content-type'], 'application/zip')
  t.match(exported.headers['content-disposition'], /attachment; filename=".*\.zip"/)
  const zip = exported.rawPayload
  t.same([...zip.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip')

  const imported = await importZip(ctx, b.teacher.headers, zip)
  t.equal(imported.statusCode, 201, imported.body)
  t.same(imported.json(), { imported: 11 })
  const before = await bank(ctx, a.organizationId)
  t.equal(before.items.length, 11)
  t.same(await bank(ctx, b.organizationId), before, 'the same items, passage, places and enemies')

  const bySubject = await ctx.app.inject({ method: 'GET', url: '/exam/items/export?format=qti3&subject=physics', headers: a.teacher.headers })
  t.equal(bySubject.statusCode, 200)
  const none = await importZip(ctx, b.teacher.headers, bySubject.rawPayload)
  t.equal(none.statusCode, 400, 'an export of no item imports nothing')
  t.match(none.json().error, { code: 'EXAM_IMPORT_REJECTED', details: [{ path: 'imsmanifest.xml', message: 'The manifest lists no QTI item' }] })
  const student = await ctx.app.inject({ method: 'GET', url: '/exam/items/export?format=qti3', headers: a.student.headers })
  t.equal(student.statusCode, 403, 'a student exports nothing')
})

t.test('a package holding an item we cannot represent is refused per item, and nothing is imported', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: [] as Array<Record<string, unknown>> })
  const hotspot = itemWithBody('hot', '<p>Where?</p><qti-hotspot-interaction response-identifier="RESPONSE" max-choices="1"><img src="map.png" alt="map"/><qti-hotspot-choice identifier="A" shape="circle" coords="10,10,5"/></qti-hotspot-interaction>')
  const zip = zipOf({
    'imsmanifest.xml': manifest([{ id: 'fine', href: 'items/fine.xml' }, { id: 'hot', href: 'items/hot.xml' }]),
    'items/fine.xml': itemWithBody('fine', CHOICE_BODY),
    'items/hot.xml': hotspot
  })
  const res = await importZip(ctx, s.teacher.headers, zip, '?subject=geography')
  t.equal(res.statusCode, 400, res.body)
  t.equal(res.json().error.code, 'EXAM_IMPORT_REJECTED')
  t.match(res.json().error.details, [{ path: /hot/, message: /qti-hotspot-interaction is not supported/ }])
  t.equal(res.json().error.details.length, 1, 'the supported item is not reported')
  t.equal(await count(ctx, s.organizationId), 0, 'nothing imported')

  const alone = await importZip(ctx, s.teacher.headers, zipOf({ 'imsmanifest.xml': manifest([{ id: 'fine', href: 'items/fine.xml' }]), 'items/fine.xml': itemWithBody('fine', CHOICE_BODY) }), '?subject=geography')
  t.equal(alone.statusCode, 201, alone.body)
  t.match((await ctx.sql`select ref, type, subject, status, options, correct_index from exam.items where organization_id = ${s.organizationId}`)[0], { ref: 'fine', type: 'single', subject: 'geography', status: 'draft', options: ['One', 'Two'], correct_index: 0 })
  const noSubject = await importZip(ctx, s.teacher.headers, zipOf({ 'imsmanifest.xml': manifest([{ id: 'other', href: 'items/other.xml' }]), 'items/other.xml': itemWithBody('other', CHOICE_BODY) }))
  t.equal(noSubject.statusCode, 400, 'a package without our metadata needs ?subject=')
  t.equal(await count(ctx, s.organizationId), 1)
})

t.test('hostile packages are refused with a problem and write nothing; a student is refused before the body is read', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: [] as Array<Record<string, unknown>> })
  const bomb = zipSync({ 'imsmanifest.xml': strToU8(manifest([{ id: 'x', href: 'x.xml' }])), 'x.xml': new Uint8Array(32 * 1024 * 1024) }, { level: 9 })
  t.ok(bomb.length < 200_000, `a small zip (${bomb.length} bytes) that inflates to 32 MiB`)
  const entity = item('ent', { declarations: '', body: '<p>&lol;</p>' }).replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY lol "lol">]>')
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['a zip bomb', bomb, /./],
    ['an entity declaration', zipOf({ 'imsmanifest.xml': manifest([{ id: 'ent', href: 'ent.xml' }]), 'ent.xml': entity }), /DOCTYPE|entit/i],
    ['a path out of the package', zipOf({ 'imsmanifest.xml': manifest([{ id: 'up', href: '../up.xml' }]), '../up.xml': itemWithBody('up', CHOICE_BODY) }), /./],
    ['no manifest', zipOf({ 'item.xml': itemWithBody('i', CHOICE_BODY) }), /manifest/i],
    ['not a zip', strToU8('PK\u0003\u0004 but nothing after'), /./]
  ]
  for (const [name, zip, message] of cases) {
    const res = await importZip(ctx, s.teacher.headers, zip, '?subject=math')
    t.equal(res.statusCode, 400, `${name}: ${res.body.slice(0, 300)}`)
    t.equal(res.json().error.code, 'EXAM_IMPORT_REJECTED', name)
    t.ok(res.json().error.details.length > 0 && res.json().error.details.some((d: { message: string }) => message.test(d.message)), `${name}: ${JSON.stringify(res.json().error.details)}`)
  }
  t.equal(await count(ctx, s.organizationId), 0, 'nothing written')
  const student = await importZip(ctx, s.student.headers, bomb, '?subject=math')
  t.equal(student.statusCode, 403)
})
