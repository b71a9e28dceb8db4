// Test support shared by every package: real services, isolated per test.
export * from './database.js'
export * from './events.js'
export * from './smtp.js'
export * from './nats-server.js'
export * from './wait.js'
export * from './logger.js'
export * from './browser.js'
