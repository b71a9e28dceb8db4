// Passages, for teachers and admins of an organization: create, list, read.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { createPassage, getPassage, listPassages } from '../../domain/passages.js'
import type { PassageView } from '../../domain/model.js'
import { PassageInput } from '../../domain/passage-input.js'
import { DateTime, IdParams, Uuid, errors, pageQuery } from '../shared-schemas.js'

const Passage = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  authorId: Uuid,
  ref: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
  stimulus: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime
})

const passageJson = (p: PassageView) => ({ ...p, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() })

const passageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.examDeps
  const staff = app.requireRole('teacher', 'admin')

  app.post('/exam/passages', {
    schema: { description: 'A passage (a stimulus several items share). Items join it by naming its id or ref in `passage`.', body: PassageInput, response: { 201: Passage, ...errors } },
    preHandler: staff
  }, async (request, reply) => reply.code(201).send(passageJson(await createPassage(deps, request.user!, request.body))))

  app.get('/exam/passages', {
    schema: { querystring: Type.Object({ ...pageQuery }, { additionalProperties: false }), response: { 200: Type.Object({ passages: Type.Array(Passage), nextCursor: Type.Union([Uuid, Type.Null()]) }), ...errors } },
    preHandler: staff
  }, async (request) => {
    const page = await listPassages(deps, request.user!, request.query)
    return { passages: page.items.map(passageJson), nextCursor: page.nextCursor }
  })

  app.get('/exam/passages/:id', { schema: { params: IdParams, response: { 200: Passage, ...errors } }, preHandler: staff }, async (request) => {
    return passageJson(await getPassage(deps, request.user!, request.params.id))
  })
}

export default passageRoutes
