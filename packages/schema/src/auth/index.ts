// Everything in the auth schema; the auth service imports this and nothing else from this package.
export * from './schema.js'
export * from './users.js'
export * from './verification-tokens.js'
export * from './outbox.js'
export * from './relations.js'
