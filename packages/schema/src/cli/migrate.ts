// `pnpm db:migrate`: applies every migration to DATABASE_URL (creating the database if it is missing).
import { migrateDatabase } from '../migrate.js'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dreamseed'
await migrateDatabase(url)
process.stdout.write(`migrations applied to ${new URL(url).pathname.slice(1)}\n`)
