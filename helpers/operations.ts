/**
 * The operations the suite sends, as one table: the client builds every request from it, the specs
 * loop over its token operations, and the report names each by its label. Adding a token operation
 * means a row here, its schema source in openapi/, and its route in the emulator.
 */
export interface OperationSpec {
  method: 'GET' | 'POST';
  path: string;
  /** How people name it (report steps, failure lines). */
  label: string;
  /** Where the partner API key goes besides the x-api-key header. */
  apiKeyIn?: 'query' | 'body';
}

export const OPERATIONS = {
  'send-user-otp': { method: 'POST', path: '/api/v2/auth/login', label: 'Send User OTP', apiKeyIn: 'body' },
  'verify-user-otp': { method: 'POST', path: '/api/v2/auth/verify', label: 'Verify User OTP', apiKeyIn: 'body' },
  'get-user-details': { method: 'GET', path: '/api/v2/user/', label: 'Get User Details', apiKeyIn: 'query' },
  // The published reference names no query for Refresh, but public clients send `apiKey` on every
  // GET and a gateway may refuse a Refresh without it; an extra query harms no gateway that ignores it.
  'refresh-user-access-token': { method: 'GET', path: '/api/v2/auth/refresh', label: 'Refresh User Access Token', apiKeyIn: 'query' },
  'logout-user': { method: 'POST', path: '/api/v1/auth/logout', label: 'Logout' },
} as const satisfies Record<string, OperationSpec>;

export type OperationId = keyof typeof OPERATIONS;

/** The operations that take a user token, each of which must reject a logged-out one (rule 2). */
export const TOKEN_OPERATIONS = ['get-user-details', 'refresh-user-access-token', 'logout-user'] as const satisfies readonly OperationId[];
export type TokenOperation = (typeof TOKEN_OPERATIONS)[number];

export const LOGOUT_PATH = OPERATIONS['logout-user'].path;

/** Bounded: a handful of simultaneous logouts of one token, the shape of a double-clicked logout (rules 4 and 7). */
export const SIMULTANEOUS_LOGOUTS = 5;

/** Methods other than POST on the logout path (rule 5). */
export const OTHER_METHODS = ['GET', 'PUT', 'PATCH', 'DELETE'] as const;

export function labelOf(operation: OperationId): string {
  return OPERATIONS[operation].label;
}

/**
 * The bodies real clients send with a logout. The published contract documents none, but
 * MetaMask's client posts `{ apiKey }` as JSON: each shape must be judged like the bare logout.
 */
export const LOGOUT_BODY_SHAPES = [
  { name: 'no body', body: () => undefined },
  { name: 'an empty JSON object', body: () => ({}) },
  { name: 'a JSON { apiKey } body (as MetaMask sends)', body: (apiKey: string) => ({ apiKey }) },
] as const satisfies ReadonlyArray<{ name: string; body: (apiKey: string) => Record<string, string> | undefined }>;
export type LogoutBodyShape = (typeof LOGOUT_BODY_SHAPES)[number];
