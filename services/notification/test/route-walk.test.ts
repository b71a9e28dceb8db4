// The route walk (packages/testing) over notification: its HTTP surface is health, metrics and the document
// (none of them in the document), so it lists no route that needs a token and there is nothing of any
// organization's to name. This pins that: a route added later that needs a token fails here by name, and
// whoever adds it gives the walk an organization's data, its values and actors, as auth's route-walk.test.ts does.
import t from 'tap'
import { walkRoutes } from '@dreamseed/testing'
import { buildNotification } from './helper.js'

t.test('notification: its document lists no route that needs a token, so the walk has none to walk', async (t) => {
  const ctx = await buildNotification(t)
  t.type((ctx.app.swagger() as { paths?: unknown }).paths, 'object', 'the document is the one /docs/json serves')
  const report = await walkRoutes({ app: ctx.app, values: {}, secrets: [], actors: [], rows: async () => ({}), schema: 'notification' })
  t.same(report.secured, [], 'no route needs a token (one that does must be walked with an organization\'s data)')
  t.same(report.walked, report.secured, 'every route that needs a token was walked')
  t.same(report.problems, [])
})
