// The emulator in process, for its self-tests: a thin client over Fastify's inject (nothing
// listens), a clock the tests move by hand, forged tokens for the rejection cases, and the
// assertions on the emulator's documented answers. selftests/fixtures.ts hands the client out.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from '@playwright/test';
import { buildApp } from '../../emulator/app';
import { DEFAULT_API_KEY, DEFAULT_OTP, type EmulatorOptions } from '../../emulator/options';
import { LOGIN_PATH, normalizeEmail } from '../../emulator/routes/login';
import { LOGOUT_PATH } from '../../emulator/routes/logout';
import { REFRESH_PATH } from '../../emulator/routes/refresh';
import { USER_PATH } from '../../emulator/routes/user';
import { VERIFY_PATH } from '../../emulator/routes/verify';
import { signedWithAnotherKey, unsignedCopy } from '../../helpers/forged-tokens';

export { LOGIN_PATH, LOGOUT_PATH, REFRESH_PATH, VERIFY_PATH };
export const API_KEY = DEFAULT_API_KEY;
export const PARTNER_HEADERS = { 'x-api-key': API_KEY, 'x-user-ip': '203.0.113.7' };
export const USER_URL = `${USER_PATH}?apiKey=${API_KEY}`;

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID()}@example.test`;
}

export class ManualClock {
  constructor(public now = Date.parse('2026-07-20T10:00:00Z')) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** `undefined` sends no authorization header at all. */
type Auth = string | undefined;
type LogoutOptions = { method?: InjectOptions['method']; contentType?: string; payload?: object | string };

export class EmulatorClient {
  readonly app: FastifyInstance;
  /** The last OTP issued per (normalized) email: what the user would read in the email. */
  readonly delivered = new Map<string, string>();

  constructor(options: EmulatorOptions = {}) {
    this.app = buildApp({
      ...options,
      onOtpIssued: async (email, otp) => {
        this.delivered.set(email, otp);
        await options.onOtpIssued?.(email, otp);
      },
    });
  }

  readonly close = () => this.app.close();
  readonly inject = (options: InjectOptions) => this.app.inject(options);

  login(email: string, apiKey = API_KEY) {
    return this.inject({ method: 'POST', url: LOGIN_PATH, headers: PARTNER_HEADERS, payload: { apiKey, email } });
  }

  /** Verify User OTP, by default with the OTP the emulator issued last for the email. */
  verify(email: string, stateToken: string, otp = this.delivered.get(normalizeEmail(email)) ?? DEFAULT_OTP) {
    const payload = { apiKey: API_KEY, email, otp, stateToken };
    return this.inject({ method: 'POST', url: VERIFY_PATH, headers: PARTNER_HEADERS, payload });
  }

  /** The whole two-call flow, failing the test if a step fails; a 429 was not processed, so that call is made again. */
  async token(email = uniqueEmail()): Promise<string> {
    const login = await this.unlimited(() => this.login(email));
    expect(login.statusCode, login.body).toBe(200);
    const verify = await this.unlimited(() => this.verify(email, login.json().data.stateToken));
    expect(verify.statusCode, verify.body).toBe(200);
    return verify.json().data.accessToken as string;
  }

  private async unlimited(call: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
    let res = await call();
    for (let retries = 0; res.statusCode === 429 && retries < 3; retries++) res = await call();
    return res;
  }

  user(auth: Auth) {
    return this.inject({ method: 'GET', url: USER_URL, headers: withAuth(auth) });
  }

  /** Refresh User Access Token; `apiKey` adds the `?apiKey=` query public clients send on every GET. */
  refresh(auth: Auth, apiKey?: string) {
    const url = apiKey === undefined ? REFRESH_PATH : `${REFRESH_PATH}?apiKey=${encodeURIComponent(apiKey)}`;
    return this.inject({ method: 'GET', url, headers: withAuth(auth) });
  }

  /** A POST with no body unless told: `payload` as clients send one (`{}`, MetaMask's `{ apiKey }`, text, broken JSON). */
  logout(auth: Auth, { method = 'POST', contentType, payload }: LogoutOptions = {}) {
    const headers = contentType === undefined ? withAuth(auth) : { ...withAuth(auth), 'content-type': contentType };
    return this.inject({ method, url: LOGOUT_PATH, headers, payload });
  }
}

function withAuth(auth: Auth): Record<string, string> {
  return auth === undefined ? { ...PARTNER_HEADERS } : { ...PARTNER_HEADERS, authorization: auth };
}

/** Asserts the emulator's error body: both documented shapes at once. */
export function expectError(res: LightMyRequestResponse, status: number, errorCode?: number): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  const { error } = res.json();
  expect(error).toMatchObject({ statusCode: status, name: expect.any(String), message: expect.any(String) });
  expect(error.stack).toBeUndefined();
  if (errorCode !== undefined) expect(error.errorCode).toBe(errorCode);
}

export function expectTokenRejected(res: LightMyRequestResponse): void {
  expectError(res, 401, 1002);
  expect(res.json().error).toEqual({
    statusCode: 401,
    name: 'UnauthorizedError',
    message: 'Token missing, invalid or expired',
    errorCode: 1002,
  });
}

export function expectLogoutOk(res: LightMyRequestResponse): void {
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.json()).toEqual({ data: { message: 'User logged out successfully' } });
}

/** The live token with its payload changed and its signature kept. */
function tampered(token: string): string {
  const [header, , signature] = token.split('.');
  const claims = { ...decodeJwt(token), sub: 'attacker@example.test' };
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

/** Every credential a correct server refuses, by name (undefined: no header), with the suite's own forgeries of a live token. */
export async function tokenVariants(live: string): Promise<Array<[string, string | undefined]>> {
  return [
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['random', 'not-a-token'],
    ['dotted', 'a.b.c'],
    ['tampered', tampered(live)],
    ['other key', await signedWithAnotherKey(live)],
    ['alg none', unsignedCopy(live)],
    ['bearer', `Bearer ${live}`],
  ];
}

/** An empty Maildir in `dir` (a test's output folder, which Playwright clears). */
export function emptyMaildir(dir: string): string {
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(dir, 'Maildir', sub), { recursive: true });
  return join(dir, 'Maildir');
}

/** Serves an in-process emulator on a free loopback port (hooks may be added first; its builder closes it); returns its base URL. */
export async function served({ app }: { app: FastifyInstance }): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
