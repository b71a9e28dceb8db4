// The Fastify instance every service starts from: logger, request ids, body limit, and validators that
// reject extra fields and wrong types in bodies instead of silently fixing them.
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Logger } from 'pino'
import { Ajv, type Options as AjvOptions } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { logRedaction, logSerializers, loggerOptions, pathOf } from './logger.js'
import { sendFrameworkError } from './plugins/error-handler.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const REQUEST_ID = /^[\w.:-]{1,128}$/

export interface ServiceOptions {
  serviceName: string
  logLevel: string
  /** pino-pretty instead of JSON lines (LOG_PRETTY); unset: only when stdout is a terminal. */
  logPretty?: boolean
  bodyLimit: number
  /** Whose X-Forwarded-For sets request.ip (Fastify's trustProxy); false unless the service sits behind a proxy. */
  trustProxy?: boolean | string
  /** A ready pino logger (tests pass one that writes to a stream they read). */
  logger?: Logger
  /** Leave probes and scrapes (/health/*, /metrics) out of the request log: the ops port's, not the API's. */
  quietProbes?: boolean
}

/** The request id of a caller we trust to be an id, or a new one: never raw header text in our logs. */
export function requestIdFrom (header: unknown): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID()
}

// Fastify's own "Route GET:/x?token=… not found" line would carry the query string; this one names the path.
class ServiceLogController extends LogController {
  override routeNotFound (request: FastifyRequest, _reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return
    request.log.info(`Route ${request.raw.method ?? ''}:${pathOf(request.raw.url)} not found`)
  }
}

function makeAjv (options: AjvOptions): Ajv {
  const ajv = new Ajv({ allErrors: false, removeAdditional: false, useDefaults: true, strict: false, ...options })
  addFormats(ajv)
  return ajv
}

export function createFastify (options: ServiceOptions) {
  const serverOptions: FastifyServerOptions = {
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy ?? false,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    return503OnClosing: true,
    // URL errors are answered before routing, so they would skip the error handler's model.
    frameworkErrors: sendFrameworkError,
    forceCloseConnections: 'idle',
    // Probes and scrapes every few seconds would drown the request log; on the API port such a request is a stranger's.
    logController: new ServiceLogController({ requestIdLogLabel: 'requestId', disableRequestLogging: (req) => options.quietProbes === true && /^\/(health|metrics)/.test(req.url ?? '') })
  }
  // A logger passed in (a test's, or a service's own) still gets the path-only request and the redaction.
  if (options.logger !== undefined) serverOptions.loggerInstance = options.logger.child({}, { serializers: logSerializers, redact: logRedaction })
  else serverOptions.logger = loggerOptions(options.logLevel, options.serviceName, options.logPretty)

  const app = Fastify(serverOptions).withTypeProvider<TypeBoxTypeProvider>()
  // Bodies are JSON: a number where a string belongs is an error, not something to coerce. Query strings and
  // params are always text, so there coercion is what turns "10" into 10.
  const bodyAjv = makeAjv({ coerceTypes: false })
  const textAjv = makeAjv({ coerceTypes: 'array' })
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema))
  return app
}

export type ServiceInstance = ReturnType<typeof createFastify>
export type AnyFastify = FastifyInstance
