import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isWheelhouseError, type Logger } from '../core/index.js';

/** The one error body every route answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  INPUT_REFUSED: 400,
  CONFIG_INVALID: 400,
  MANIFEST_INVALID: 422,
  RENDER_FAILED: 422,
  SIGNATURE_REFUSED: 422,
  REF_NOT_FOUND: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  APPROVAL_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED: 423,
  RATE_LIMITED: 429,
  GIT_FAILED: 502,
  GIT_AUTH: 502,
  DRIVER_FAILED: 502,
  HOOK_FAILED: 502,
  WRITEBACK_FAILED: 502,
  WRITEBACK_CONFLICT: 409,
  UNAVAILABLE: 503,
  GIT_TIMEOUT: 504,
  HEALTH_TIMEOUT: 504,
};

/** HTTP status for an error code (500 for anything not listed). */
export function statusForCode(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return {
    error: details && Object.keys(details).length > 0 ? { code, message, details } : { code, message },
  };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message));
}

/**
 * Turns anything a route throws into `{ error: { code, message } }` with the right status. A
 * WheelhouseError keeps its code and message; fastify's own errors (validation, body limits, bad
 * JSON) get a message that says how to fix the request; everything else is logged and answered
 * with a 500 that points at the log, never with internals.
 */
export function createErrorHandler(log: Logger) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (isWheelhouseError(err)) {
      const status = statusForCode(err.code);
      if (status >= 500) log.warn({ reqId: request.id, code: err.code, url: request.url }, err.message);
      const details = publicDetails(err.details);
      return reply.code(status).send(errorBody(err.code, err.message, details));
    }
    if (err.validation) {
      const where = err.validationContext ?? 'request';
      const problems = err.validation
        .map(
          (v) =>
            `${where}${(v.instancePath ?? '')
              .split('/')
              .filter(Boolean)
              .map((key) => `.${key}`)
              .join('')} ${v.message ?? 'is invalid'}`,
        )
        .join('; ');
      return sendError(
        reply,
        400,
        'BAD_REQUEST',
        `invalid request: ${problems}; see /api/v1/openapi.json for the schema`,
      );
    }
    const status = err.statusCode ?? 500;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(
        reply,
        413,
        'INPUT_REFUSED',
        `request body too large: the limit is ${bodyLimitOf(request)} bytes`,
      );
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, 415, 'INPUT_REFUSED', 'unsupported Content-Type: send application/json');
    }
    if (
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err instanceof SyntaxError
    ) {
      return sendError(
        reply,
        400,
        'BAD_REQUEST',
        `malformed JSON body: ${err.message}; send a valid JSON document`,
      );
    }
    if (status === 429) return sendError(reply, 429, 'RATE_LIMITED', err.message);
    if (status >= 400 && status < 500) return sendError(reply, status, 'BAD_REQUEST', err.message);
    log.error(
      {
        reqId: request.id,
        url: request.url,
        // An answer that does not match its schema (src/wire) carries zod's issues as cause.
        err: { message: err.message, stack: err.stack, ...(err.cause ? { cause: String(err.cause) } : {}) },
      },
      'request failed',
    );
    return sendError(
      reply,
      500,
      'INTERNAL',
      `internal error while serving ${request.method} ${request.routeOptions.url ?? request.url}; the server log has the details (request ${request.id})`,
    );
  };
}

/** Details that help a caller locate the problem; nothing else (no causes, no stacks). */
function publicDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['file', 'line', 'column', 'path', 'app', 'resource']) {
    const value = details[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  return out;
}

function bodyLimitOf(request: FastifyRequest): number | string {
  return request.routeOptions.bodyLimit ?? 'configured';
}
