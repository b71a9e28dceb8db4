// `pnpm --filter @dreamseed/auth run admin:create -- --email a@b.org --password '…' --name 'Ada' --organization 'Springfield High'`
// Creates an organization's first admin (see domain/create-admin.ts). Reads DATABASE_URL, and REDIS_URL and
// ACCESS_TOKEN_TTL_S to refuse a promoted account's old access tokens. The password may come from
// ADMIN_PASSWORD instead of --password, to keep it out of the shell history. Safe to run again.
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import * as authTables from '@dreamseed/schema/auth'
import { AppError, ConfigError, createDatabase, loadConfig } from '@dreamseed/kit'
import { authSettings } from '../config.js'
import { createAdmin, type CreateAdminResult } from '../domain/create-admin.js'
import { hashPassword } from '../domain/passwords.js'
import { createRepositories } from '../repositories/index.js'

const USAGE = `usage: admin:create -- --email <address> --password <password> --name <display name> --organization <name>
  Creates the organization (or finds it by its exact name) and a verified admin in it, or makes an existing
  account its admin. Running it again changes nothing. ADMIN_PASSWORD may replace --password.`

function describe (r: CreateAdminResult, email: string, organization: string): string {
  return [
    `organization "${organization}" ${r.organizationId}: ${r.organizationCreated ? 'created' : 'already there'}`,
    `admin ${email} ${r.userId}: ${r.userCreated ? 'created' : r.promoted ? 'made admin of this organization' : 'already its admin'}`,
    `password: ${r.passwordSet ? 'set' : 'unchanged (the account keeps its own password)'}`
  ].join('\n')
}

async function main (): Promise<number> {
  let args
  try {
    // `pnpm run admin:create -- --email …` hands the script the `--` itself.
    const argv = process.argv.slice(2)
    args = parseArgs({ args: argv[0] === '--' ? argv.slice(1) : argv, options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, organization: { type: 'string' }, help: { type: 'boolean' } }, strict: true }).values
  } catch (err) {
    console.error(`admin:create: ${(err as Error).message}\n${USAGE}`)
    return 2
  }
  if (args.help === true) { console.log(USAGE); return 0 }
  const password = args.password ?? process.env.ADMIN_PASSWORD
  const missing = (['email', 'name', 'organization'] as const).filter((k) => args[k] === undefined).map((k) => `--${k}`)
  if (password === undefined) missing.push('--password')
  if (missing.length > 0) { console.error(`admin:create: missing ${missing.join(', ')}\n${USAGE}`); return 2 }

  let config
  try {
    config = loadConfig({ databaseUrl: authSettings.databaseUrl, redisUrl: authSettings.redisUrl, accessTokenTtlSeconds: authSettings.accessTokenTtlSeconds }, process.env)
  } catch (err) {
    if (err instanceof ConfigError) { console.error(`admin:create: ${err.message}`); return 1 }
    throw err
  }
  const database = createDatabase({ databaseUrl: config.databaseUrl, dbPoolMax: 1, dbIdleTimeoutS: 5, dbMaxLifetimeS: 300, dbConnectTimeoutS: 5, dbIdleInTransactionTimeoutMs: 60000, serviceName: 'auth-admin-create' }, authTables)
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 })
  redis.on('error', () => {})
  try {
    const input = { email: args.email!, password: password!, displayName: args.name!, organization: args.organization! }
    const result = await createAdmin({
      repos: createRepositories(database.db),
      redis,
      signer: { ttlSeconds: config.accessTokenTtlSeconds },
      hashPassword,
      now: () => new Date(),
      // auth's outbox relay publishes the events (it polls the outbox) once the service runs.
      eventsWritten: () => {},
      revocationFailed: (err) => { console.error(`admin:create: warning: old access tokens not refused, Redis unreachable (${(err as Error).message}); they expire within ${config.accessTokenTtlSeconds} s`) }
    }, input)
    console.log(describe(result, input.email.trim().toLowerCase(), input.organization.trim()))
    return 0
  } catch (err) {
    if (err instanceof AppError && err.statusCode < 500) { console.error(`admin:create: ${err.message}`); return 1 }
    throw err
  } finally {
    redis.disconnect()
    await database.close()
  }
}

process.exitCode = await main()
