import t from 'tap'
import { randomBytes } from 'node:crypto'
import { seal, unseal } from '../src/index.js'

t.test('a sealed token opens with the same key and context only', async (t) => {
  const key = randomBytes(32)
  const sealed = seal(key, 'the-raw-token', 'verify-email:u1')
  t.notMatch(sealed, /the-raw-token/)
  t.equal(unseal(key, sealed, 'verify-email:u1'), 'the-raw-token')
  t.throws(() => unseal(randomBytes(32), sealed, 'verify-email:u1'), 'another key fails')
  t.throws(() => unseal(key, sealed, 'verify-email:u2'), 'another user fails: a token cannot be moved between events')
  const tampered = Buffer.from(sealed, 'base64url')
  tampered[14] = (tampered[14] ?? 0) ^ 1
  t.throws(() => unseal(key, tampered.toString('base64url'), 'verify-email:u1'), 'tampering is detected')
  t.throws(() => unseal(key, 'short', 'verify-email:u1'))
  t.not(seal(key, 'x', 'c'), seal(key, 'x', 'c'), 'a fresh IV every time')
})
