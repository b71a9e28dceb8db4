// Every table of the platform, by service. Services import their own entry (`@dreamseed/schema/auth`);
// this whole-catalog entry serves migrations and the schema tests.
import * as authTables from './auth/index.js'
import * as notificationTables from './notification/index.js'
import * as examTables from './exam/index.js'
import * as analyticsTables from './analytics/index.js'

export const SERVICE_SCHEMAS = { auth: authTables, notification: notificationTables, exam: examTables, analytics: analyticsTables } as const
export type ServiceName = keyof typeof SERVICE_SCHEMAS
