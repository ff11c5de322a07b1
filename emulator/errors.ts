// Coded errors of the emulator, in the spirit of @fastify/error's createError: each constant is a
// factory, so a route throws `ERR_INVALID_OTP()` and the one error handler renders it. The codes
// are those of Transak's error-codes page where it names one (1002, 9001, ...); the rest are the
// emulator's own, kept in the same ranges.

/** Why a token was not accepted; fault modes branch on it (e.g. only revoked tokens). */
export type TokenRejectionReason =
  | 'missing'
  | 'empty'
  | 'malformed'
  | 'algorithm'
  | 'bad-signature'
  | 'expired'
  | 'claims'
  | 'revoked';

export interface EmulatorErrorOptions {
  headers?: Record<string, string>;
  /** Set only on token rejections. */
  tokenRejection?: TokenRejectionReason;
  /** Drop `name` from the body (a fault mode's doing; a correct server always sends it). */
  omitName?: boolean;
}

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  405: 'MethodNotAllowedError',
  413: 'PayloadTooLargeError',
  500: 'InternalServerError',
};

export function statusName(statusCode: number): string {
  return STATUS_NAMES[statusCode] ?? (statusCode >= 500 ? 'InternalServerError' : 'HttpError');
}

export class EmulatorError extends Error {
  readonly statusCode: number;
  readonly errorCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly tokenRejection: TokenRejectionReason | undefined;
  readonly omitName: boolean;

  constructor(statusCode: number, errorCode: number, message: string, options: EmulatorErrorOptions = {}) {
    super(message);
    this.name = statusName(statusCode);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.headers = options.headers ?? {};
    this.tokenRejection = options.tokenRejection;
    this.omitName = options.omitName ?? false;
  }
}

/**
 * Thrown only by fault modes that imitate a crash leaking its stack trace; the error handler
 * renders it with the stack, which it never does for anything else.
 */
export class LeakedCrash extends TypeError {}

type ErrorFactory = (message?: string) => EmulatorError;

function defineError(statusCode: number, errorCode: number, message: string, headers?: Record<string, string>): ErrorFactory {
  return (override) => new EmulatorError(statusCode, errorCode, override ?? message, { headers });
}

export const ERR_API_KEY = defineError(401, 1001, 'API key missing or invalid');
export const ERR_INVALID_OTP = defineError(400, 1007, 'Invalid OTP');
export const ERR_STATE_TOKEN = defineError(400, 1008, 'Invalid or expired state token');
export const ERR_OTP_COOLDOWN = defineError(400, 1019, 'You can request a new OTP after 1 minute.');
export const ERR_ACCOUNT_LOCKED = defineError(
  403,
  1020,
  'Account locked after too many invalid OTP attempts; try again in 24 hours',
);
export const ERR_VALIDATION = defineError(400, 9001, 'Request validation failed');
export const ERR_METHOD_NOT_ALLOWED = defineError(405, 9002, 'Method not allowed; use POST', { allow: 'POST' });
export const ERR_PAYLOAD_TOO_LARGE = defineError(413, 9003, 'Request body is too large');
export const ERR_NOT_FOUND = defineError(404, 9004, 'Route not found');
export const ERR_LOGOUT_CONFLICT = defineError(409, 9005, 'Logout already in progress for this session');

export const TOKEN_ERROR_CODE = 1002;
export const TOKEN_ERROR_MESSAGE = 'Token missing, invalid or expired';
export const INTERNAL_ERROR_MESSAGE = 'Internal Server Error';

export interface ErrorBody {
  error: { statusCode: number; name?: string; message: string; errorCode?: number };
}

/**
 * One body that satisfies both documented shapes: logout's `{statusCode, name, message}` and the
 * error-codes page's `{statusCode, message, errorCode}`.
 */
export function errorBody(statusCode: number, name: string | undefined, message: string, errorCode?: number): ErrorBody {
  return {
    error: {
      statusCode,
      ...(name === undefined ? {} : { name }),
      message,
      ...(errorCode === undefined ? {} : { errorCode }),
    },
  };
}
