// exam's settings: the shared ones, Redis, how to check auth's access tokens, and the exam engine's own.
import { authenticationSettings, commonSettings, loadConfig, parse, rateLimitSettings, redisSettings, type Env, type Setting } from '@dreamseed/kit'

const setting = <T>(s: Setting<T>): Setting<T> => s

export const examSettings = {
  ...commonSettings({ port: 3002, opsPort: 9002, service: 'exam' }),
  ...redisSettings,
  ...authenticationSettings,
  // A person never comes near these (a student answers every few seconds); load tools and tests raise them.
  ...rateLimitSettings({ envPrefix: 'EXAM', service: 'exam', per: 'one signed-in user (without a token: one client address)', max: 3000, strictMax: 20, strictRoutes: 'the item import' }),
  outboxPollMs: setting({ env: 'OUTBOX_POLL_MS', description: 'how often the relay looks for events written by other replicas', parse: parse.int(10, 60000), default: 500 }),
  importBodyLimit: setting({ env: 'EXAM_IMPORT_BODY_LIMIT_BYTES', description: 'largest item import (JSON lines or CSV) accepted', parse: parse.int(1024, 200 * 1024 * 1024), default: 20 * 1024 * 1024 }),
  importMaxItems: setting({ env: 'EXAM_IMPORT_MAX_ITEMS', description: 'most items one import may hold', parse: parse.int(1, 1_000_000), default: 50_000 }),
  bankCacheOrganizations: setting({ env: 'EXAM_BANK_CACHE_ORGANIZATIONS', description: 'organizations whose item bank is kept in memory (least recently used dropped first)', parse: parse.int(1, 100_000), default: 200 }),
  bankCacheMaxItems: setting({ env: 'EXAM_BANK_CACHE_MAX_ITEMS', description: 'most items (of any status) an organization\'s bank may hold to be kept in memory; a larger bank is read from Postgres by every request that needs it (slower, the same answers; counted in exam_bank_uncached_loads_total)', parse: parse.int(1, 10_000_000), default: 50_000 }),
  bankCacheTotalItems: setting({ env: 'EXAM_BANK_CACHE_TOTAL_ITEMS', description: 'most items kept in memory across organizations\' banks, about 300 bytes each (least recently used banks dropped first)', parse: parse.int(1, 100_000_000), default: 500_000 }),
  sessionCacheSize: setting({ env: 'EXAM_SESSION_CACHE_SIZE', description: 'sessions kept in memory between answers (least recently used dropped first)', parse: parse.int(1, 10_000_000), default: 20_000 }),
  expiryIntervalSeconds: setting({ env: 'EXAM_EXPIRY_INTERVAL_S', description: 'how often sessions left open past their time limit are ended (their result and completed event written), idle ones suspended, and stopped ones past their resume window ended', parse: parse.int(1, 3600), default: 30 }),
  expiryBatch: setting({ env: 'EXAM_EXPIRY_BATCH', description: 'sessions ended (or suspended) per pass of the expiry job before it looks again', parse: parse.int(1, 10000), default: 100 }),
  suspendAfterSeconds: setting({ env: 'EXAM_SUSPEND_AFTER_S', description: 'seconds without activity (a start, an answer, a resume) after which the expiry job suspends a session in progress, its clock stopped from its last activity', parse: parse.int(60, 7 * 24 * 3600), default: 1500 }),
  resumeWindowDays: setting({ env: 'EXAM_RESUME_WINDOW_DAYS', description: 'days from a session\'s start within which a paused or suspended session may be resumed; after them the expiry job ends it, scored on what was answered', parse: parse.int(1, 3650), default: 28 }),
  maxExtensionSeconds: setting({ env: 'EXAM_MAX_EXTENSION_S', description: 'most seconds one extension by a teacher or an admin may add to a session\'s time limit', parse: parse.int(1, 7 * 24 * 3600), default: 3600 }),
  // Rapid guesses (Wise & Ma 2012, normative threshold NT10; effort as Wise & Kong 2005): see the README.
  rapidGuessShare: setting({ env: 'EXAM_RAPID_GUESS_SHARE', description: 'an item\'s rapid-guess threshold is this share of its median response time in completed sessions (Wise & Ma\'s NT10: 0.10), within the floor and the cap', parse: parseShare, default: 0.1, defaultDoc: '0.1' }),
  rapidGuessFloorMs: setting({ env: 'EXAM_RAPID_GUESS_FLOOR_MS', description: 'lowest rapid-guess threshold an item\'s median gives, in milliseconds', parse: parse.int(0, 60_000), default: 1000 }),
  rapidGuessCapMs: setting({ env: 'EXAM_RAPID_GUESS_CAP_MS', description: 'highest rapid-guess threshold an item\'s median gives, in milliseconds (Wise & Ma\'s 10 seconds)', parse: parse.int(0, 600_000), default: 10_000 }),
  rapidGuessDefaultMs: setting({ env: 'EXAM_RAPID_GUESS_DEFAULT_MS', description: 'rapid-guess threshold of an item with fewer than EXAM_RAPID_GUESS_MIN_RESPONSES responses in completed sessions, in milliseconds (0: none flagged)', parse: parse.int(0, 600_000), default: 3000 }),
  rapidGuessMinResponses: setting({ env: 'EXAM_RAPID_GUESS_MIN_RESPONSES', description: 'responses in completed sessions an item needs before its threshold comes from its median', parse: parse.int(1, 1_000_000), default: 30 }),
  effortFlagBelow: setting({ env: 'EXAM_EFFORT_FLAG_BELOW', description: 'a session whose response-time effort (the share of its responses that are not rapid guesses) is below this is flagged low effort, live and in its result', parse: parseShare, default: 0.9, defaultDoc: '0.9' }),
  itemTimingIntervalSeconds: setting({ env: 'EXAM_ITEM_TIMING_INTERVAL_S', description: 'how often items\' median response times and rapid-guess thresholds are computed again from completed sessions (one replica at a time)', parse: parse.int(10, 7 * 24 * 3600), default: 3600 }),
  consumerMaxDeliver: setting({ env: 'EXAM_CONSUMER_MAX_DELIVER', description: 'deliveries of one classroom event before it is given up', parse: parse.int(1, 1000), default: 20 }),
  consumerBackoffMs: setting({ env: 'EXAM_CONSUMER_BACKOFF_MS', description: 'delays between retries of a classroom event that could not be applied (last repeats)', parse: parseList, default: [1000, 5000, 15000, 60000], defaultDoc: '1000,5000,15000,60000' }),
  consumerAckWaitMs: setting({ env: 'EXAM_CONSUMER_ACK_WAIT_MS', description: 'time before an unacknowledged classroom event is delivered again', parse: parse.int(1000, 600000), default: 30000 })
}

function parseShare (raw: string): number {
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(raw)) throw new Error('expected a number from 0 to 1')
  return Number(raw)
}

function parseList (raw: string): number[] {
  const values = raw.split(',').map((v) => v.trim())
  if (values.length === 0 || values.some((v) => !/^\d+$/.test(v))) throw new Error('expected whole numbers separated by commas')
  return values.map(Number)
}

export type ExamConfig = ReturnType<typeof loadExamConfig>

export function loadExamConfig (env: Env = process.env) {
  return loadConfig(examSettings, env)
}
