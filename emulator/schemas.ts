// Request schemas let Fastify turn a bad body into a 400 (rendered as errorCode 9001). Response
// schemas are written here from the auth-flow document, not read from the suite's extracted ones:
// the serializer bends an answer to its schema, so the reference emulator passing the suite proves
// the extraction right only while the two are written apart.

const nonEmptyString = { type: 'string', minLength: 1, maxLength: 512 } as const;

export const loginBody = {
  type: 'object',
  required: ['apiKey', 'email'],
  properties: { apiKey: nonEmptyString, email: { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' } },
} as const;

export const verifyBody = {
  type: 'object',
  required: ['apiKey', 'email', 'otp', 'stateToken'],
  properties: { ...loginBody.properties, otp: { type: 'string', minLength: 1, maxLength: 16 }, stateToken: nonEmptyString },
} as const;

const dataOf = (properties: Record<string, unknown>) => ({
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'object', required: Object.keys(properties), properties } },
});
const string = { type: 'string' };

/** The response schema of an operation's 200. */
const OK_SCHEMAS: Record<string, object> = {
  'send-user-otp': dataOf({ isTncAccepted: { type: 'boolean' }, stateToken: string, email: string, expiresIn: { type: 'integer' } }),
  'verify-user-otp': dataOf({ accessToken: string, ttl: { type: 'number' }, created: { type: 'string', format: 'date-time' } }),
  'refresh-user-access-token': dataOf({ accessToken: string }),
  'get-user-details': dataOf({
    partnerUserId: string,
    email: string,
    status: string,
    kyc: { type: 'object', required: ['status', 'type'], properties: { status: string, type: { type: ['string', 'null'] } } },
  }),
  'logout-user': dataOf({ message: string }),
};

export const okSchema = (operation: string): object => OK_SCHEMAS[operation];

export type LoginBody = { apiKey: string; email: string };
export type VerifyBody = LoginBody & { otp: string; stateToken: string };
