// Coded errors, in the spirit of @fastify/error's createError: a route throws `ERR_INVALID_OTP()` and the
// one error handler renders it. Codes are Transak's where its error-codes page names one (1002, 1019,
// 9001, ...); the rest are the emulator's own, in the same ranges.

/** Why a token was not accepted. */
export type TokenRejectionReason = 'missing' | 'empty' | 'malformed' | 'algorithm' | 'bad-signature' | 'expired' | 'claims' | 'revoked';

/** The error names the gateway puts in its bodies, fixed here rather than read from Node's reason phrases (which RFC 9110 renames). */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  405: 'MethodNotAllowedError',
  409: 'ConflictError',
  413: 'PayloadTooLargeError',
  429: 'TooManyRequestsError',
  500: 'InternalServerError',
};

export function statusName(statusCode: number): string {
  return STATUS_NAMES[statusCode] ?? (statusCode >= 500 ? 'InternalServerError' : 'HttpError');
}

export class EmulatorError extends Error {
  constructor(
    readonly statusCode: number,
    /** Undefined for an unexpected failure: it has no documented code. */
    readonly errorCode: number | undefined,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = statusName(statusCode);
  }
}

export function defineError(statusCode: number, errorCode: number | undefined, message: string, headers?: Record<string, string>) {
  return (override?: string) => new EmulatorError(statusCode, errorCode, override ?? message, headers);
}

export const ERR_API_KEY = defineError(401, 1001, 'API key missing or invalid');
export const ERR_TOKEN = defineError(401, 1002, 'Token missing, invalid or expired');
export const ERR_INVALID_OTP = defineError(400, 1007, 'Invalid OTP');
export const ERR_STATE_TOKEN = defineError(400, 1008, 'Invalid or expired state token');
export const ERR_OTP_COOLDOWN = defineError(400, 1019, 'You can request a new OTP after 1 minute.');
export const ERR_ACCOUNT_LOCKED = defineError(403, 1020, 'Account locked after too many invalid OTP attempts; try again in 24 hours');
export const ERR_VALIDATION = defineError(400, 9001, 'Request validation failed');
export const ERR_METHOD_NOT_ALLOWED = defineError(405, 9002, 'Method not allowed; use POST', { allow: 'POST' });
export const ERR_PAYLOAD_TOO_LARGE = defineError(413, 9003, 'Request body is too large');
export const ERR_NOT_FOUND = defineError(404, 9004, 'Route not found');
export const ERR_INTERNAL = defineError(500, undefined, 'Internal Server Error');

export const TOKEN_ERROR_CODE = 1002;

/**
 * With `name`, both documented shapes at once: logout's `{statusCode, name, message}` and the error-codes
 * page's `{statusCode, message, errorCode}`; without it, the latter alone.
 */
export function errorBody(statusCode: number, name: string | undefined, message: string, errorCode?: number) {
  // Sent as JSON, which leaves an undefined name or errorCode out.
  return { error: { statusCode, name, message, errorCode } };
}
