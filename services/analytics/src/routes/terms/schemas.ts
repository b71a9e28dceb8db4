// Terms: named periods of an organization, [startsAt, endsAt), never overlapping; admins add and remove them.
import { Type } from 'typebox'
import { DateTime, IdParams, Uuid, errors } from '../shared-schemas.js'

export const Term = Type.Object({ id: Uuid, name: Type.String(), startsAt: DateTime, endsAt: DateTime })

export const createTermSchema = {
  description: 'Adds a term to the organization (admins): from startsAt (included) to endsAt (excluded), overlapping none of its other terms.',
  body: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 100 }),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time', description: 'after startsAt; the term ends just before it' })
  }, { additionalProperties: false }),
  response: { 201: Term, ...errors }
}

export const listTermsSchema = {
  description: 'The organization\'s terms, oldest first.',
  response: { 200: Type.Object({ terms: Type.Array(Term) }), ...errors }
}

export const deleteTermSchema = {
  description: 'Removes one of the organization\'s terms (admins); sessions are untouched.',
  params: IdParams,
  response: { 204: Type.Null(), ...errors }
}
