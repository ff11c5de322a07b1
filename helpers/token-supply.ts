/**
 * Where a test's tokens come from, in one place: a token handed on by an earlier test (proven alive
 * again) or a new login (Send User OTP → Verify User OTP) through this process's share of the email
 * pool; and, when the test ends, what is handed on and who is blamed for a token that died.
 *
 * It holds no gateway policy as given, since the reference promises none:
 * - one session per user: a later login of an address may end its older tokens. A token is handed
 *   on only to the process that owns its address (which alone logs that address in), and a token
 *   that died after its address logged in again (the run's OTP ledger says when) is nobody's fault;
 * - token lifetime: Verify User OTP's `ttl` and the JWT's `exp` say when a token ends by itself. A
 *   token is handed on only while it will outlive its taker, and one that died of age is nobody's fault.
 */
import { test, type TestInfo } from '@playwright/test';
import { EXPIRY_SKEW_MS, mintUserToken, type AuthFlowDeps, type UserToken } from './auth-flow';
import { systemClock } from './clock';
import type { SuiteConfig } from './config';
import { createEmailPool, PoolTooSmallError, type EmailPool } from './email-pool';
import { isSuccess, type Exchange } from './exchange';
import type { ExchangeLog } from './exchange-log';
import { SPEC_DRIFT, type FindingOwner } from './foreign-findings';
import { carries, endedByOthersLogout, openLogoutRegister, othersLogoutViolation } from './logout-register';
import { LOGOUT_PATH } from './operations';
import { openOtpLedger, type OtpLedger } from './otp-ledger';
import type { OtpProvider } from './otp/providers';
import { POLICY_NOTES } from './policy-notes';
import { loginGuards, LoginsStoppedError } from './run-stop';
import type { SchemaValidator } from './schema-validator';
import type { HandedOnToken, TokenDepot } from './token-depot';
import type { TransakApi } from './transak-api';
import { expect } from './verdict-steps';
import { checkStillAlive } from './verdicts';

export interface TokenOptions {
  /** A second session of this user: always a new login, waiting out the address's OTP cooldown. */
  sameEmailAs?: string;
  /** Addresses this token must not belong to (a different user). */
  except?: string[];
}

/**
 * A handed-on token must outlive its taker's longest use: rule 2's latest look, and this much more.
 * Rule 6's second user needs only this much (a control, one logout, a look, its own logout): with
 * tokens that live shorter than rule 2's look, a process that owns one address would otherwise
 * never be handed another user's token at all.
 */
const HOLD_MARGIN_MS = 10_000;

export interface TokenSupply {
  /** A live token this test may destroy: handed on by an earlier test (proven alive again) or a new login. */
  mint(options?: TokenOptions): Promise<UserToken>;
  /** A live token this test may not destroy: handed on to a later test when it ends, if it still works. */
  borrow(): Promise<UserToken>;
  /**
   * A live token of a user other than `email`, borrowed: a new login where this process owns another
   * address, else one handed on by another process (the nightly layout can give a process one address).
   */
  otherUser(email: string): Promise<UserToken>;
  /** Why a token stopped working with no logout of it, when it is nobody's fault; undefined otherwise. */
  endedBy(token: UserToken): 'a later login of its address' | 'its natural expiry' | undefined;
  /** The test ended: hand on what is unspent and still works; blame the test for a borrowed token it killed. */
  settle(): Promise<void>;
}

export interface TokenSupplyDeps {
  api: TransakApi;
  pool: EmailPool;
  otp: OtpProvider;
  validator: SchemaValidator;
  config: SuiteConfig;
  log: ExchangeLog;
  depot: TokenDepot;
  ledger: OtpLedger;
  outputDir: string;
  testInfo: TestInfo;
  /** Violations for their owner's verdict (verdict-steps.ts): login answers off their schemas (spec drift), rule 6's finding. */
  judge: (owner: FindingOwner, violations: string[], claim: string) => void;
}

/**
 * A process's share of the pool, in the run's folder: the OTP ledger (what the preflight and this
 * slot's earlier processes asked, never again inside its cooldown) and the run's login stops.
 */
export function runPool(
  config: SuiteConfig,
  runDir: string,
  emails: string[] | null,
  generatedPrefix: string,
  onWait?: (message: string) => void,
): EmailPool {
  return createEmailPool({
    emails,
    cooldownMs: config.otpCooldownMs,
    clock: systemClock,
    generatedPrefix,
    onWait,
    assertUsable: loginGuards(runDir).beforeLogin,
    ledger: openOtpLedger(runDir),
  });
}

/** One login (Send User OTP → Verify User OTP) through `pool`, under the run's login stops: the token supply's and the preflight's. */
export function poolLogin(
  deps: Pick<AuthFlowDeps, 'api' | 'pool' | 'otp' | 'validator' | 'onWait'> & { config: SuiteConfig; runDir: string },
  options: TokenOptions = {},
): Promise<UserToken> {
  const { config, runDir, ...flow } = deps;
  return mintUserToken({ ...flow, clock: systemClock, cooldownMs: config.otpCooldownMs, ...loginGuards(runDir) }, options);
}

export function createTokenSupply(deps: TokenSupplyDeps): TokenSupply {
  const { api, pool, log, depot, ledger, testInfo } = deps;
  const logouts = openLogoutRegister(deps.outputDir);
  const obtained: UserToken[] = [];
  const borrowed = new Set<string>();
  const started = Date.now();
  const redact = (text: string): string => log.redactor.text(text);
  const note = (type: string, description: string): void => {
    if (!testInfo.annotations.some((a) => a.type === type && a.description === description))
      testInfo.annotations.push({ type, description });
  };
  // A slow pool makes a slow test, never a red one: every wait it announces grows the budget.
  const onWait = (ms: number): void =>
    testInfo.setTimeout(Math.max(testInfo.timeout, Date.now() - started + ms + testInfo.project.timeout));

  const lifeLeft = (token: UserToken): number => (token.expiresAt === undefined ? Infinity : token.expiresAt - EXPIRY_SKEW_MS - Date.now());
  const endedBy: TokenSupply['endedBy'] = (token) => {
    if ((ledger.lastAsked(token.email) ?? -Infinity) > token.mintedAt) return 'a later login of its address';
    if (lifeLeft(token) <= 0) return 'its natural expiry';
    return undefined;
  };
  const alive = (token: string, title: string): Promise<boolean> =>
    test.step(title, async () => (await api.userDetails(token)).status === 200, { box: true });

  const login = (options: TokenOptions): Promise<UserToken> =>
    test.step(
      options.sameEmailAs
        ? 'fresh token for the same user (Send User OTP → Verify User OTP)'
        : 'fresh user token (Send User OTP → Verify User OTP)',
      async () => {
        try {
          const minted = await poolLogin(
            { api, pool, otp: deps.otp, validator: deps.validator, onWait, config: deps.config, runDir: deps.outputDir },
            options,
          );
          log.redactor.add(minted.token);
          if (minted.expiresAt !== undefined)
            note(
              POLICY_NOTES.tokenLifetime,
              `the gateway announces tokens that live ${Math.round((minted.expiresAt - minted.mintedAt) / 1000)} s`,
            );
          deps.judge(SPEC_DRIFT, minted.loginViolations, 'the login answers match their documented schemas');
          return minted;
        } catch (error) {
          // Skipped, not failed: one failure already says why. A retry (nightly) fails instead, or
          // its first failure would end up reported as flaky.
          if (error instanceof LoginsStoppedError && testInfo.retry === 0) testInfo.skip(true, error.message);
          if (error instanceof PoolTooSmallError) testInfo.skip(true, error.message);
          throw error;
        }
      },
      { box: true },
    );

  /** A token from the depot that passes `accept`, will outlive this test's use (`minLife`), and still works. */
  const takeHandedOn = async (
    accept: (email: string) => boolean,
    minLife = deps.config.r2LateLookMs + HOLD_MARGIN_MS,
  ): Promise<UserToken | undefined> => {
    // Too short-lived for this taker, yet long enough for rule 6's second user: back in the depot afterwards.
    const tooShort: HandedOnToken[] = [];
    try {
      for (let taken = depot.take(accept); taken !== undefined; taken = depot.take(accept)) {
        log.redactor.add(taken.token);
        const token: UserToken = { ...taken, loginViolations: [] };
        if (lifeLeft(token) < minLife) {
          if (lifeLeft(token) >= HOLD_MARGIN_MS) tooShort.push(taken);
          continue;
        }
        if (await alive(token.token, 'a token handed on by an earlier test: control, it still works')) return token;
        note('token hand-on', `a handed-on token no longer worked and was dropped (${endedBy(token) ?? 'no logout of it was seen'})`);
      }
      return undefined;
    } finally {
      tooShort.forEach((token) => depot.put(token));
    }
  };

  const mint: TokenSupply['mint'] = async (options = {}) => {
    const except = options.except ?? [];
    // Only the address's owner logs it in again, so only the owner may hold its tokens: elsewhere a
    // gateway with one session per user could end them mid-test.
    const handed =
      options.sameEmailAs === undefined ? await takeHandedOn((email) => !except.includes(email) && pool.owns(email)) : undefined;
    const token = handed ?? (await login(options));
    obtained.push(token);
    return token;
  };

  const borrow: TokenSupply['borrow'] = async () => {
    const token = await mint();
    borrowed.add(token.token);
    return token;
  };

  const otherUser: TokenSupply['otherUser'] = async (email) => {
    if (pool.capacity > 1) {
      const token = await mint({ except: [email] });
      borrowed.add(token.token);
      return token;
    }
    // Tokens are handed on as tests end: wait for one, within a bound that grows the test's budget.
    const bound = 2 * (deps.config.otpCooldownMs + 5000);
    onWait(bound);
    for (const until = Date.now() + bound; ;) {
      const token = await takeHandedOn((other) => other !== email, HOLD_MARGIN_MS);
      if (token !== undefined) {
        obtained.push(token);
        borrowed.add(token.token);
        return token;
      }
      if (Date.now() > until) {
        throw new PoolTooSmallError(
          `cannot judge: this process owns one address of TRANSAK_EMAILS and no other user's live token was handed on within ${Math.round(bound / 1000)} s; list more addresses than processes`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  const seenRefused = (token: string, before: Exchange): boolean => {
    const last = log.exchanges
      .slice(0, log.exchanges.indexOf(before))
      .filter((ex) => carries(ex, token))
      .at(-1);
    return last?.operationId === 'get-user-details' && last.status !== 200;
  };

  const settle: TokenSupply['settle'] = async () => {
    // A token a logout of this test accepted is never handed on, even if it still works (a revocation
    // bug, or one that takes effect late), so no later test inherits that bug.
    const spent = (token: string): boolean => log.exchanges.some((ex) => ex.path === LOGOUT_PATH && isSuccess(ex) && carries(ex, token));
    for (const token of obtained.filter((t) => !spent(t.token))) {
      const lent = borrowed.has(token.token);
      const ex = await test.step(
        lent ? 'hand the borrowed token on: it still works' : 'hand an unspent token on, if it still works',
        () => api.userDetails(token.token),
        { box: true },
      );
      if (ex.status === 200) {
        depot.put({ token: token.token, email: token.email, mintedAt: token.mintedAt, expiresAt: token.expiresAt });
        continue;
      }
      const cause = endedBy(token);
      // A borrowed token was alive when lent: with its gateway's own ends ruled out (endedBy), one
      // ended untouched since the test saw it work was ended from outside the run (logout-register.ts).
      const othersLogout =
        cause === undefined
          ? (await endedByOthersLogout(logouts, log, testInfo.parallelIndex, token.token, ex, false, lent))?.cause
          : undefined;
      if (cause !== undefined) note('token hand-on', `a token ended by ${cause} was dropped: no test's fault`);
      else if (othersLogout !== undefined)
        deps.judge('R6', [othersLogoutViolation(othersLogout)], 'a token this test never logged out still works');
      // Blame stays with the test that killed a token it only borrowed: it was alive when lent. Not
      // twice: a token the test itself last saw refused was judged then (or judged again, or not at all).
      else if (lent && !seenRefused(token.token, ex))
        expect(checkStillAlive(ex)).toHaveNoViolations('a token this test never logged out still works', redact);
    }
  };

  return { mint, borrow, otherUser, endedBy, settle };
}
