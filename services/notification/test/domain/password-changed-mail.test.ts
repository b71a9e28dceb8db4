// user.password.changed becomes the notice to the owner: domain/password-changed-mail.ts.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { newEnvelope, newEventId, userPasswordChangedV1 } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { buildNotification } from '../helper.js'

t.test('user.password.changed tells the owner, with a way to reset if it was not them', async (t) => {
  const { smtp, publish } = await buildNotification(t)
  const email = `c.${randomBytes(3).toString('hex')}@example.org`
  await publish(newEnvelope(userPasswordChangedV1, { userId: newEventId(), email, displayName: 'Ann', changedAt: new Date().toISOString(), via: 'change' }))
  await publish(newEnvelope(userPasswordChangedV1, { userId: newEventId(), email, displayName: 'Ann', changedAt: new Date().toISOString(), via: 'reset' }))
  const mails = await waitFor(() => smtp.mailsTo(email).length === 2 && smtp.mailsTo(email), { what: 'two notices' })
  for (const mail of mails) {
    t.equal(mail.subject, 'Your DreamSeed password was changed')
    t.match(mail.text, 'http://auth.test/auth/password/forgot')
  }
  t.ok(mails.some((m) => /every other device/.test(m.text)) && mails.some((m) => /reset link, and every device/.test(m.text)), 'each says how it happened')
  t.ok(mails.every((m) => !m.raw.includes('Ann')), 'no name in either')
})
