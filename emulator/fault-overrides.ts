// The pieces fault modes (faults.ts) are made of. Each bends one thing beside the correct code, which
// knows none of this, the Fastify way: a preHandler answers instead of a route, an onSend hook rewrites
// an answer, an onRequest hook a request, or a service method is replaced by one calling the original.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { checkToken } from './auth';
import type { EmulatorContext } from './context';
import { TOKEN_ERROR_CODE, defineError, statusName, type TokenRejectionReason } from './errors';
import type { Policies } from './policies';
import { LOGGED_OUT, LOGOUT_PATH } from './routes/logout';
import { REFRESH_PATH } from './routes/refresh';
import { USER_PATH } from './routes/user';
import { sendJson } from './send';
import { AUDIENCE, ISSUER, acceptClaims, type AccessClaims, type VerifyResult } from './tokens';

export type FaultTarget = { app: FastifyInstance; ctx: EmulatorContext };
/** One deviation from correct behaviour, installed before the routes. */
export type Override = (target: FaultTarget) => void;

// --- Where a fault acts.

type Route = { method: string; path: string };

export const LOGOUT: Route = { method: 'POST', path: LOGOUT_PATH };
export const USER: Route = { method: 'GET', path: USER_PATH };
export const REFRESH: Route = { method: 'GET', path: REFRESH_PATH };
/** The routes that read a token: what the suite sends its credentials to. */
export const TOKEN_ROUTES: readonly Route[] = [LOGOUT, USER, REFRESH];
export const logoutWith = (method: string): Route => ({ method, path: LOGOUT_PATH });

export function isAt(request: FastifyRequest, routes: readonly Route[]): boolean {
  return routes.some((r) => r.method === request.method && r.path === request.routeOptions.url);
}

// --- Answering instead of the route.

type Act = (request: FastifyRequest, reply: FastifyReply, ctx: EmulatorContext) => Promise<unknown>;

/** A preHandler on `routes`: `act` answers in the route's place (a body, or the reply it sent), throws, or returns undefined. */
export function instead(routes: readonly Route[], act: Act): Override {
  return ({ app, ctx }) =>
    app.addHook('preHandler', async (request, reply) => {
      if (!isAt(request, routes)) return undefined;
      const answer = await act(request, reply, ctx);
      if (answer === undefined || answer === reply) return answer;
      return reply.send(answer);
    });
}

/** A crash whose stack trace reaches the client, the way a careless server leaks one. */
export function leakedCrash(reply: FastifyReply, message: string): FastifyReply {
  const error = new TypeError(message);
  return sendJson(reply, 500, { error: { statusCode: 500, name: error.name, message: error.message, stack: error.stack } });
}

/** On `route`, a token whose only fault is to be logged out gets `handle`'s answer (or crash), as a live one would. */
export function whenRevoked(
  route: Route,
  handle: (claims: AccessClaims, request: FastifyRequest, ctx: EmulatorContext) => unknown,
): Override {
  return instead([route], async (request, _reply, ctx) => {
    const sent = request.headers.authorization;
    const verified = sent?.trim() ? await ctx.tokens.verify(sent) : undefined;
    return verified?.ok && ctx.revocations.isRevoked(verified.claims.jti) ? handle(verified.claims, request, ctx) : undefined;
  });
}

/** Imitates a handler that looks the revoked session up and dereferences the missing row. */
export function sessionNotFound(): never {
  throw new Error('session not found for token');
}

// --- Rewriting an answer on its way out.

/** An answer about to leave the server, for a fault to change in place. */
export interface Answer {
  request: FastifyRequest;
  status: number;
  /** undefined: no content-type header. */
  contentType: string | undefined;
  /** The parsed JSON body; undefined when the answer is not JSON. */
  body: Json | undefined;
  /** Set to replace the payload with this text (then `body` is not serialized). */
  text?: string;
  headers: Record<string, string>;
}

/** A JSON object as a fault edits it: any shape, on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a fault may write anything anywhere
export type Json = Record<string, any>;

/** An onSend hook: every answer for which `when` holds goes through `change`. */
export function rewrite(when: (answer: Answer) => boolean, change: (answer: Answer, ctx: EmulatorContext) => unknown): Override {
  return ({ app, ctx }) =>
    app.addHook('onSend', async (request, reply, payload) => {
      const contentType = reply.getHeader('content-type');
      const type = typeof contentType === 'string' ? contentType : undefined;
      const answer: Answer = { request, status: reply.statusCode, contentType: type, body: jsonOf(payload, type), headers: {} };
      if (!when(answer)) return payload;
      await change(answer, ctx);
      reply.code(answer.status).headers(answer.headers);
      if (answer.contentType === undefined) reply.removeHeader('content-type');
      else reply.header('content-type', answer.contentType);
      if (answer.text !== undefined) return answer.text;
      return answer.body === undefined ? payload : JSON.stringify(answer.body);
    });
}

/** Every answer for which `when` holds gets `patch`'s fields, a fresh copy each time. */
export function answerAs(when: (answer: Answer) => boolean, patch: Partial<Answer>): Override {
  return rewrite(when, (a) => Object.assign(a, structuredClone(patch)));
}

function jsonOf(payload: unknown, contentType: string | undefined): Json | undefined {
  if (typeof payload !== 'string' || !contentType?.toLowerCase().includes('json')) return undefined;
  try {
    const body: unknown = JSON.parse(payload);
    return isObject(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

export const isLoggedOut = (a: Answer): boolean => isAt(a.request, [LOGOUT]) && a.status === 200;
export const isUserDetails = (a: Answer): boolean => isAt(a.request, [USER]) && a.status === 200;
export const isTokenRejection = (a: Answer): boolean => a.body?.error?.errorCode === TOKEN_ERROR_CODE;
export const is401 = (a: Answer): boolean => a.status === 401;

/** Token rejections (those `only` picks, or all) answered with `status` and its name instead of 401. */
export function rejectAs(status: number, only?: (request: FastifyRequest, ctx: EmulatorContext) => Promise<boolean>): Override {
  return rewrite(isTokenRejection, async (a, ctx) => {
    if (only && !(await only(a.request, ctx))) return;
    a.status = status;
    Object.assign(a.body!.error, { statusCode: status, name: statusName(status) });
  });
}

/** Why the request's token would be refused, had nothing else been wrong with it. */
export async function refusalOf(request: FastifyRequest, ctx: EmulatorContext): Promise<string | undefined> {
  const check = await checkToken(request, ctx);
  return check.ok ? undefined : check.reason;
}

/** What the 'extra-fields-and-charset' mode adds: properties no schema forbids, an odd spelling of JSON. */
export function extraFieldsAndCharset(a: Answer): void {
  const requestId = randomUUID();
  const body = a.body!;
  if (isObject(body.data)) body.data.requestId = requestId;
  if (isObject(body.error)) body.error.requestId = requestId;
  body.meta = { requestId, emulator: true, servedAt: new Date().toISOString() };
  a.contentType = 'Application/JSON; Charset=UTF-8';
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// --- Rewriting a request on its way in.

const BEARER = /^bearer\s+/i;

/** "Bearer <token>" is read as the bare token everywhere; `stripped` learns which requests had it. */
export function toleratesBearer(stripped?: WeakSet<FastifyRequest>): Override {
  return ({ app }) =>
    app.addHook('onRequest', async (request) => {
      const sent = request.headers.authorization;
      if (sent === undefined || !BEARER.test(sent)) return;
      request.headers.authorization = sent.replace(BEARER, '');
      stripped?.add(request);
    });
}

export function isBearer(request: FastifyRequest): boolean {
  return BEARER.test(request.headers.authorization ?? '');
}

/** A "Bearer <token>" logout answers as usual and revokes nothing. */
export const bearerLogoutsRevokeNothing: Override = (target) => {
  const stripped = new WeakSet<FastifyRequest>();
  toleratesBearer(stripped)(target);
  logoutRevokesNothing(undefined, (request) => stripped.has(request))(target);
};

// --- Adopting a policy.

/** The correct server under a policy a gateway may choose, as if built with it (policies are read per request). */
export function adopts(policies: Partial<Policies>): Override {
  return ({ ctx }) => void Object.assign(ctx.policies, policies);
}

// --- Replacing a service method.

type Method<T, K extends keyof T> = T[K] extends (...args: infer A) => infer R ? (...args: A) => R : never;

/** Replaces `service[method]` with `wrap(original)`; the original stays callable through it. */
export function around<T extends object, K extends keyof T>(service: T, method: K, wrap: (original: Method<T, K>) => Method<T, K>): void {
  const original = (service[method] as Method<T, K>).bind(service) as Method<T, K>;
  service[method] = wrap(original) as T[K];
}

/** Logout answers as usual and ends no session. */
export const endsNoSession: Override = ({ ctx }) => around(ctx.sessions, 'end', () => async () => undefined);

/** After its own session, a logout also ends every token issued since the build that `pick` picks. */
export function alsoEnds(pick: (token: AccessClaims, loggedOut: AccessClaims, issuedAt: number, now: number) => boolean): Override {
  return ({ ctx }) => {
    const issued = new Map<string, { claims: AccessClaims; issuedAt: number }>();
    around(ctx.tokens, 'issue', (issue) => async (subject) => {
      const minted = await issue(subject);
      const now = ctx.clock();
      for (const [jti, t] of issued) if (t.claims.exp * 1000 <= now) issued.delete(jti);
      issued.set(minted.claims.jti, { claims: minted.claims, issuedAt: now });
      return minted;
    });
    around(ctx.sessions, 'end', (end) => async (claims) => {
      await end(claims);
      const now = ctx.clock();
      for (const t of issued.values())
        if (pick(t.claims, claims, t.issuedAt, now)) ctx.revocations.revoke(t.claims.jti, t.claims.exp * 1000);
    });
  };
}

/** How long an overlapping-logout fault holds a logout open: on a busy machine, calls sent at once arrive ~100s of ms apart. */
const IN_FLIGHT_MS = 400;
const ERR_LOGOUT_CONFLICT = defineError(409, 9005, 'Logout already in progress for this session');

/** A logout that trips over the session-row lock a parallel call holds: it crashes (500), or refuses every party with 409. */
export function overlappingLogouts(outcome: 'crash' | 'refuse-all'): Override {
  return ({ ctx }) => {
    const inFlight = new Set<string>();
    const contended = new Set<string>();
    around(ctx.sessions, 'end', (end) => async (claims) => {
      if (inFlight.has(claims.jti)) {
        if (outcome === 'crash') throw new Error('logout already in progress for this session');
        contended.add(claims.jti);
        throw ERR_LOGOUT_CONFLICT();
      }
      inFlight.add(claims.jti);
      try {
        await sleep(IN_FLIGHT_MS);
        await end(claims);
      } finally {
        inFlight.delete(claims.jti);
      }
      if (contended.delete(claims.jti)) throw ERR_LOGOUT_CONFLICT();
    });
  };
}

/** What a server that trusts a token's payload without its signature accepts. */
export function verifiedWithoutSignature(token: string, ctx: EmulatorContext): VerifyResult {
  const payload = decoded(decodeJwt, token);
  if (payload === undefined) return { ok: false, reason: 'malformed' };
  if (typeof payload.exp !== 'number' || payload.exp <= Math.floor(ctx.clock() / 1000)) return { ok: false, reason: 'expired' };
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (payload.iss !== ISSUER || !audiences.includes(AUDIENCE)) return { ok: false, reason: 'claims' };
  return acceptClaims(payload, ctx.options.apiKey);
}

export const algorithmOf = (token: string): string | undefined => decoded(decodeProtectedHeader, token)?.alg;

/** What `decode` reads from a token, or undefined for a string it cannot decode. */
function decoded<T>(decode: (token: string) => T, token: string): T | undefined {
  try {
    return decode(token);
  } catch {
    return undefined;
  }
}

/** Logout answers 200 and ends no session when `when` holds and the token is refused for `reason` (undefined: not refused). */
export function logoutRevokesNothing(
  reason: TokenRejectionReason | undefined,
  when: (request: FastifyRequest) => boolean = () => true,
): Override {
  return instead([LOGOUT], async (request, _reply, ctx) =>
    when(request) && (await refusalOf(request, ctx)) === reason ? LOGGED_OUT : undefined,
  );
}
