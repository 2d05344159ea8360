// The closed list of error codes the HTTP API answers with, mapped to status codes in
// one place. 5xx answers never carry details (they are logged instead).
import type { FastifyError, FastifyInstance } from 'fastify'
import { ZodError } from 'zod'

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const
export type ErrorCode = keyof typeof ERROR_STATUS

export type FieldErrors = Record<string, string>

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message)
  }
}

/** Field-level messages from a zod error: `{ email: 'must be an email address' }`. */
export function fieldErrors(err: ZodError): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of err.issues) {
    const key = issue.path.join('.') || '_'
    out[key] ??= issue.message
  }
  return out
}

// Fastify's own errors that are the client's fault, by Fastify error code.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_VALIDATION: 'bad_request',
}

export function toErrorBody(err: unknown): {
  status: number
  body: { error: ErrorCode; message: string; fields?: FieldErrors }
} {
  if (err instanceof AppError)
    return {
      status: ERROR_STATUS[err.code],
      body: { error: err.code, message: err.message, fields: err.fields },
    }
  if (err instanceof ZodError)
    return {
      status: 400,
      body: { error: 'bad_request', message: 'some fields are invalid', fields: fieldErrors(err) },
    }
  const fe = err as FastifyError
  const mapped = fe?.code ? FASTIFY_CODES[fe.code] : undefined
  if (mapped) return { status: ERROR_STATUS[mapped], body: { error: mapped, message: fe.message } }
  if (fe?.statusCode === 429) return { status: 429, body: { error: 'rate_limited', message: fe.message } }
  // A JSON syntax error raised by the body parser carries a 400 status.
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return { status: fe.statusCode, body: { error: 'bad_request', message: fe.message } }
  return { status: 500, body: { error: 'internal', message: 'something went wrong on our side' } }
}

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorBody(err)
    if (status >= 500) req.log.error({ err }, 'request failed')
    else req.log.info({ code: body.error, status }, body.message)
    return reply.status(status).send(body)
  })
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send({ error: 'not_found', message: `no route for ${req.method} ${req.url.split('?')[0]}` }),
  )
}
