// The roles an account can have, as events carry them.
import { Type } from 'typebox'

export const RoleSchema = Type.Union([Type.Literal('student'), Type.Literal('teacher'), Type.Literal('admin')])
