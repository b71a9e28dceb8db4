// The production shape on one machine, for `pnpm cluster` and tests/cluster.
export * from './topology.js'
export * from './nats-cluster.js'
export * from './haproxy.js'
export * from './replica.js'
