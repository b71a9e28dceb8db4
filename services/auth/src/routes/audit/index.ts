// GET /auth/audit: an admin reads their organization's audit log (logins, logouts, revocations, changes).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { assertSameOrganization } from '@dreamseed/kit'
import { listAuditEntries } from '../../domain/list-audit-entries.js'
import { auditListSchema } from './schemas.js'

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/auth/audit', { schema: auditListSchema, preHandler: app.requireRole('admin') }, async (request) => {
    const admin = request.user!
    // An admin outside any organization has no log to read.
    assertSameOrganization(admin, admin.organizationId)
    const { cursor, limit, action, userId } = request.query
    const page = await listAuditEntries(app.authDeps, admin.organizationId!, { action, userId }, { cursor, limit })
    return { entries: page.items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })), nextCursor: page.nextCursor }
  })
}

export default auditRoutes
