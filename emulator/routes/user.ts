import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { assertApiKey, requirePartner, requireToken } from '../auth';
import type { EmulatorContext } from '../context';
import { okSchema } from '../schemas';
import type { AccessClaims } from '../tokens';

export const USER_PATH = '/api/v2/user/';

/** Get User Details: the suite's first witness that a logged-out token is dead. */
export function userRoute(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get<{ Querystring: { apiKey?: unknown } }>(
    USER_PATH,
    { onRequest: requirePartner(ctx), schema: { response: { 200: okSchema('get-user-details') } } },
    async (request) => {
      assertApiKey(request.query.apiKey, ctx);
      return userDetails(await requireToken(request, ctx));
    },
  );
}

/** The details of the verified token's user. */
export function userDetails(claims: AccessClaims) {
  return {
    data: {
      partnerUserId: partnerUserId(claims.sub),
      email: claims.sub,
      status: 'ACTIVE',
      kyc: { status: 'NOT_SUBMITTED', type: null },
    },
  };
}

/** A UUID derived from the email, so a user keeps one id across logins and emulator restarts. */
function partnerUserId(email: string): string {
  const bytes = createHash('sha256').update(`transak-emulator:${email}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
