import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { EmulatorContext } from './context';
import {
  ERR_API_KEY,
  EmulatorError,
  LeakedCrash,
  TOKEN_ERROR_CODE,
  TOKEN_ERROR_MESSAGE,
  type TokenRejectionReason,
} from './errors';
import { sameSecret } from './secrets';
import type { AccessClaims } from './tokens';

/** Every route wants the partner's x-api-key and the end user's x-user-ip before anything else. */
export function requirePartner(ctx: EmulatorContext): onRequestAsyncHookHandler {
  return async (request) => {
    assertApiKey(request.headers['x-api-key'], ctx);
    const ip = request.headers['x-user-ip'];
    if (typeof ip !== 'string' || ip.trim() === '') throw ERR_API_KEY('Header x-user-ip is required');
  };
}

/** For the places where the reference repeats the key in the body or the query. */
export function assertApiKey(given: unknown, ctx: EmulatorContext): void {
  if (typeof given !== 'string' || !sameSecret(given, ctx.options.apiKey)) throw ERR_API_KEY();
}

export type TokenCheck =
  | { ok: true; token: string; claims: AccessClaims }
  | { ok: false; reason: TokenRejectionReason; sent: string | undefined };

const BEARER = /^bearer\s+/i;

/**
 * Reads the bare token from `authorization` and judges it. Returns instead of throwing because
 * some fault modes answer a rejected token with something other than the rejection.
 */
export async function checkToken(
  request: FastifyRequest,
  ctx: EmulatorContext,
  checkRevocation: boolean,
): Promise<TokenCheck> {
  const { flags } = ctx;
  const sent = request.headers.authorization;
  const fail = (reason: TokenRejectionReason): TokenCheck => ({ ok: false, reason, sent });

  if (sent === undefined) {
    if (flags.missingHeaderCrashes) throw new LeakedCrash("Cannot read properties of undefined (reading 'split')");
    return fail('missing');
  }
  if (sent.trim() === '') return fail('empty');

  let token = sent;
  if (BEARER.test(sent)) {
    if (flags.bearerPrefixCrashes) throw new LeakedCrash('Invalid token specified: invalid base64 for part #1');
    if (flags.acceptBearerPrefix) token = sent.replace(BEARER, '');
  }

  const verdict = await ctx.tokens.verify(token, {
    skipSignature: !flags.verifySignature,
    acceptAlgNone: flags.acceptAlgNone,
  });
  if (!verdict.ok) return fail(verdict.reason);
  // Checked after the await: a logout that finished meanwhile must count.
  if (checkRevocation && ctx.revocations.isRevoked(verdict.claims.jti)) return fail('revoked');
  return { ok: true, token, claims: verdict.claims };
}

/** The error that answers a rejected token, shaped by the active fault flags. */
export function tokenRejection(
  check: Extract<TokenCheck, { ok: false }>,
  ctx: EmulatorContext,
  route: 'logout' | 'other',
): EmulatorError {
  const { flags } = ctx;
  let status = flags.tokenRejectionStatus;
  if (check.reason === 'bad-signature' && flags.badSignatureStatus !== null) status = flags.badSignatureStatus;
  let omitName = false;
  if (route === 'logout' && flags.logoutRejectsAs400WithoutName) {
    status = 400;
    omitName = true;
  }
  const message =
    flags.echoTokenInErrorMessage && check.sent ? `${TOKEN_ERROR_MESSAGE}: ${check.sent}` : TOKEN_ERROR_MESSAGE;
  return new EmulatorError(status, TOKEN_ERROR_CODE, message, { tokenRejection: check.reason, omitName });
}

/** The token's claims, or the rejection thrown; for routes without logout's special cases. */
export async function requireToken(
  request: FastifyRequest,
  ctx: EmulatorContext,
  checkRevocation: boolean,
  crashWhenRevoked: boolean,
): Promise<{ token: string; claims: AccessClaims }> {
  const check = await checkToken(request, ctx, checkRevocation);
  if (check.ok) return check;
  // Imitates a handler that looks the revoked session up and dereferences the missing row.
  if (check.reason === 'revoked' && crashWhenRevoked) throw new Error('session not found for token');
  throw tokenRejection(check, ctx, 'other');
}
