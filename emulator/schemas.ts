// Request schemas let Fastify turn a bad body into a 400 (rendered as errorCode 9001). Response
// schemas are the suite's own, extracted from the auth-flow document (npm run schemas), so a correct
// answer is serialized against the very shape the suite validates.
import { readFileSync } from 'node:fs';
import { ROOT } from '../helpers/repo-paths';

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

/** The response schema of an operation's 200 (schemas/<operation>.200.schema.json). */
export function okSchema(operation: string): object {
  return JSON.parse(readFileSync(`${ROOT}/schemas/${operation}.200.schema.json`, 'utf8'));
}

export type LoginBody = { apiKey: string; email: string };
export type VerifyBody = LoginBody & { otp: string; stateToken: string };
