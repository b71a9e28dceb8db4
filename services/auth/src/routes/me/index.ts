// GET and PATCH /auth/me: the signed-in user's own account.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { getProfile, updateDisplayName } from '../../domain/profile.js'
import { DISPLAY_NAME, errorResponses } from '../shared-schemas.js'

const Profile = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  displayName: Type.String(),
  role: Type.Union([Type.Literal('student'), Type.Literal('teacher'), Type.Literal('admin')]),
  organizationId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  emailVerifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' })
})
const view = (p: Awaited<ReturnType<typeof getProfile>>) => ({ ...p, emailVerifiedAt: p.emailVerifiedAt?.toISOString() ?? null, createdAt: p.createdAt.toISOString() })

const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/auth/me', { schema: { response: { 200: Profile, ...errorResponses } }, preHandler: app.requireUser }, async (request) => {
    return view(await getProfile(app.authDeps, request.user!.id))
  })
  app.patch('/auth/me', {
    schema: { body: Type.Object({ displayName: Type.String({ minLength: 1, maxLength: 100, pattern: DISPLAY_NAME }) }, { additionalProperties: false }), response: { 200: Profile, ...errorResponses } },
    preHandler: app.requireUser
  }, async (request) => view(await updateDisplayName(app.authDeps, request.user!.id, request.body.displayName)))
}

export default meRoutes
