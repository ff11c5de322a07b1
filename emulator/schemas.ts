// JSON schemas of the routes. Request schemas let Fastify turn a bad body into a 400 (rendered as
// errorCode 9001); response schemas mirror the auth-flow document, so a correct answer is built
// and serialized against the same shape the suite validates.

const nonEmptyString = { type: 'string', minLength: 1, maxLength: 512 } as const;

export const loginBody = {
  type: 'object',
  required: ['apiKey', 'email'],
  properties: {
    apiKey: nonEmptyString,
    email: { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' },
  },
} as const;

export const verifyBody = {
  type: 'object',
  required: ['apiKey', 'email', 'otp', 'stateToken'],
  properties: {
    ...loginBody.properties,
    otp: { type: 'string', minLength: 1, maxLength: 16 },
    stateToken: nonEmptyString,
  },
} as const;

function dataOf(properties: Record<string, unknown>, required: readonly string[]) {
  return {
    type: 'object',
    required: ['data'],
    properties: { data: { type: 'object', required, properties } },
  } as const;
}

export const loginResponse = dataOf(
  {
    isTncAccepted: { type: 'boolean' },
    stateToken: { type: 'string' },
    email: { type: 'string' },
    expiresIn: { type: 'integer' },
  },
  ['isTncAccepted', 'stateToken', 'email', 'expiresIn'],
);

export const verifyResponse = dataOf(
  {
    accessToken: { type: 'string' },
    ttl: { type: 'number' },
    created: { type: 'string', format: 'date-time' },
  },
  ['accessToken', 'ttl', 'created'],
);

export const refreshResponse = dataOf({ accessToken: { type: 'string' } }, ['accessToken']);

export const userResponse = dataOf(
  {
    partnerUserId: { type: 'string' },
    email: { type: 'string' },
    status: { type: 'string' },
    kyc: {
      type: 'object',
      required: ['status', 'type'],
      properties: { status: { type: 'string' }, type: { type: ['string', 'null'] } },
    },
  },
  ['partnerUserId', 'email', 'status', 'kyc'],
);

export const logoutResponse = dataOf({ message: { type: 'string' } }, ['message']);

export interface LoginBody {
  apiKey: string;
  email: string;
}

export interface VerifyBody extends LoginBody {
  otp: string;
  stateToken: string;
}
