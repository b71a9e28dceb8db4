import t from 'tap'
import { JOIN_CODE, newJoinCode, normalizeJoinCode } from '../../src/domain/join-code.js'

t.test('join codes are 10 characters of Crockford base32, every character used', async (t) => {
  const codes = Array.from({ length: 2000 }, newJoinCode)
  t.ok(codes.every((c) => JOIN_CODE.test(c)))
  t.equal(new Set(codes).size, codes.length)
  const used = new Set(codes.join(''))
  t.equal(used.size, 32)
  t.notOk(['I', 'L', 'O', 'U'].some((c) => used.has(c)), 'no ambiguous letters')
})

t.test('what people type is read the forgiving way', async (t) => {
  t.equal(normalizeJoinCode('abcde-fghjk'), 'ABCDEFGHJK')
  t.equal(normalizeJoinCode(' 7K3M 9QX2 TV '), '7K3M9QX2TV')
  t.equal(normalizeJoinCode('o1lIQ23456'), '0111Q23456', 'O reads as 0, I and L as 1')
  t.equal(normalizeJoinCode('UUUUUUUUUU'), null, 'U is not in the alphabet')
  t.equal(normalizeJoinCode('ABC'), null)
  t.equal(normalizeJoinCode('ABCDEFGHJKM'), null)
  t.equal(normalizeJoinCode('ABCDE_FGHJ'), null)
})
