// drizzle-kit reads every table from here to generate the committed migrations in ./drizzle.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/auth/index.ts', './src/notification/index.ts', './src/exam/index.ts', './src/analytics/index.ts'],
  out: './drizzle',
  schemaFilter: ['auth', 'notification', 'exam', 'analytics']
})
