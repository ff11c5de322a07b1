import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { EmulatorContext } from './context';
import { ERR_API_KEY, ERR_TOKEN } from './errors';
import { sameSecret } from './secrets';
import type { AccessClaims, VerifyResult } from './tokens';

/** Every route wants the partner's x-api-key and the end user's x-user-ip before anything else. */
export function requirePartner(ctx: EmulatorContext): onRequestAsyncHookHandler {
  return async (request) => assertPartner(request, ctx);
}

export function assertPartner(request: FastifyRequest, ctx: EmulatorContext): void {
  assertApiKey(request.headers['x-api-key'], ctx);
  const ip = request.headers['x-user-ip'];
  if (typeof ip !== 'string' || ip.trim() === '') throw ERR_API_KEY('Header x-user-ip is required');
}

/** For the places where the reference repeats the key in the body or the query. */
export function assertApiKey(given: unknown, ctx: EmulatorContext): void {
  if (typeof given !== 'string' || !sameSecret(given, ctx.options.apiKey)) throw ERR_API_KEY();
}

/** Judges the bare token in `authorization`: present, signed by us, unexpired, not logged out. */
export async function checkToken(request: FastifyRequest, ctx: EmulatorContext): Promise<VerifyResult> {
  const sent = request.headers.authorization;
  if (sent === undefined) return { ok: false, reason: 'missing' };
  if (sent.trim() === '') return { ok: false, reason: 'empty' };
  const verified = await ctx.tokens.verify(sent);
  if (!verified.ok) return verified;
  // Checked after the await: a logout that finished meanwhile must count.
  if (ctx.revocations.isRevoked(verified.claims.jti)) return { ok: false, reason: 'revoked' };
  return verified;
}

/** The token's claims, or the one token rejection (401/1002) thrown, whatever the reason. */
export async function requireToken(request: FastifyRequest, ctx: EmulatorContext): Promise<AccessClaims> {
  const check = await checkToken(request, ctx);
  if (!check.ok) throw ERR_TOKEN();
  return check.claims;
}
