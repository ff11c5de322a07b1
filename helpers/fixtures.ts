/**
 * The suite's one fixture module: specs import `test`, `expect` and `describeRule` from here only.
 * Worker fixtures hold what is fixed for a process (configuration, schemas, its share of the email
 * pool, the token depot); test fixtures hand each test what it needs, lazily: a test that never
 * names a token mints none.
 */
import { test as base } from '@playwright/test';
import { mintUserToken, type UserToken } from './auth-flow';
import { systemClock } from './clock';
import { loadConfig, type SuiteConfig } from './config';
import { createEmailPool, partitionFor, PoolTooSmallError, processSlot, type EmailPool } from './email-pool';
import { createExchangeLog, type ExchangeLog } from './exchange-log';
import { otpProviderFor, type OtpProvider } from './otp/providers';
import { openOtpLedger } from './otp-ledger';
import { createRedactor } from './redact';
import { RULES, ruleTag, type RuleId } from './rules';
import { loginGuards, LoginsStoppedError } from './run-stop';
import { createSchemaValidator, type SchemaValidator } from './schema-validator';
import { DEPOT_VARIABLE, openDepot, type TokenDepot } from './token-depot';
import { createTransakApi, type TransakApi } from './transak-api';
import { expect } from './verdict-matcher';
import { createVerdictSteps, type VerdictSteps } from './verdict-steps';
import { LOGOUT_PATH } from './operations';
import { checkNoEcho, checkNotServerError, checkStillAlive } from './verdicts';

export interface TokenOptions {
  /** A second session of this user: always a new login, waiting out the address's OTP cooldown. */
  sameEmailAs?: string;
  /** Addresses this token must not belong to (a different user). */
  except?: string[];
  /** The token's address must be one this process may log in with again (for a later sameEmailAs). */
  ownAddress?: boolean;
}

/** The tokens a test obtained, and which of them it only borrowed. */
interface TokenLedger {
  obtained: UserToken[];
  borrowed: Set<string>;
}

interface TestFixtures {
  tokenLedger: TokenLedger;
  log: ExchangeLog;
  api: TransakApi;
  verdict: VerdictSteps;
  /** A live token this test may destroy: handed on by an earlier test (proven alive) or a new login. */
  mintToken: (options?: TokenOptions) => Promise<UserToken>;
  /** Several live tokens at once; settles only when every login has, so none is left running when the test ends. */
  mintTokens: (count: number) => Promise<UserToken[]>;
  /** A live token this test may not destroy: handed on to a later test when it ends, if it still works. */
  borrowToken: () => Promise<UserToken>;
  freshToken: UserToken;
  borrowedToken: UserToken;
  noServerErrorsOrEchoes: void;
}

interface WorkerFixtures {
  suiteConfig: SuiteConfig;
  validator: SchemaValidator;
  emailPool: EmailPool;
  otpProvider: OtpProvider;
  tokenDepot: TokenDepot;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  suiteConfig: [async ({}, use) => use(loadConfig()), { scope: 'worker', box: true, title: 'suite configuration' }],
  validator: [async ({}, use) => use(createSchemaValidator()), { scope: 'worker', box: true, title: 'schema validator' }],
  otpProvider: [
    async ({ suiteConfig }, use) => {
      const provider = otpProviderFor(suiteConfig.otp);
      await use(provider);
      await provider.close?.();
    },
    { scope: 'worker', box: true, title: 'OTP source' },
  ],
  emailPool: [
    async ({ suiteConfig }, use, workerInfo) => {
      const { slot, slots } = processSlot(workerInfo.config.shard, workerInfo.parallelIndex, workerInfo.config.workers);
      const runDir = workerInfo.project.outputDir;
      const pool = createEmailPool({
        emails: suiteConfig.emails && partitionFor(suiteConfig.emails, slot, slots),
        cooldownMs: suiteConfig.otpCooldownMs,
        clock: systemClock,
        generatedPrefix: `qa-${Date.now().toString(36)}-w${workerInfo.workerIndex}`,
        onWait: (message) => console.log(`[email pool] ${message}`),
        assertUsable: loginGuards(runDir).beforeLogin,
        // What the preflight, and this slot's earlier worker processes, asked: never again inside its cooldown.
        ledger: openOtpLedger(runDir),
      });
      await use(pool);
    },
    { scope: 'worker', box: true, title: 'test user pool' },
  ],
  tokenDepot: [async ({}, use) => use(openDepot(process.env[DEPOT_VARIABLE])), { scope: 'worker', box: true, title: 'token depot' }],

  log: [async ({}, use, testInfo) => use(createExchangeLog(testInfo, createRedactor())), { box: true, title: 'HTTP exchange log' }],

  api: [
    async ({ playwright, suiteConfig, log }, use) => {
      const request = await playwright.request.newContext({ timeout: suiteConfig.requestTimeoutMs });
      await use(createTransakApi(request, suiteConfig, log));
      await request.dispose();
    },
    { box: true, title: 'Transak API client' },
  ],

  verdict: [async ({ api, log, validator }, use) => use(createVerdictSteps(api, log, validator)), { box: true, title: 'verdict steps' }],

  tokenLedger: [async ({}, use) => use({ obtained: [], borrowed: new Set() }), { box: true, title: 'token ledger' }],

  mintToken: [
    async ({ api, emailPool, otpProvider, validator, suiteConfig, log, tokenDepot, tokenLedger }, use, testInfo) => {
      const runDir = testInfo.project.outputDir;
      const started = Date.now();
      // A slow pool makes a slow test, never a red one: every wait it announces grows the budget.
      const onWait = (ms: number): void =>
        testInfo.setTimeout(Math.max(testInfo.timeout, Date.now() - started + ms + testInfo.project.timeout));

      const login = (options: TokenOptions): Promise<UserToken> =>
        base.step(
          options.sameEmailAs
            ? 'fresh token for the same user (Send User OTP → Verify User OTP)'
            : 'fresh user token (Send User OTP → Verify User OTP)',
          async () => {
            try {
              const deps = {
                api,
                pool: emailPool,
                otp: otpProvider,
                validator,
                clock: systemClock,
                cooldownMs: suiteConfig.otpCooldownMs,
                onWait,
              };
              const minted = await mintUserToken({ ...deps, ...loginGuards(runDir) }, options);
              log.redactor.add(minted.token);
              expect
                .soft(minted.loginViolations)
                .toHaveNoViolations('the login answers match their documented schemas', (t) => log.redactor.text(t));
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

      // A handed-on token is used only once it is proven alive again; a dead one is dropped, not blamed here.
      const handedOn = async (options: TokenOptions): Promise<UserToken | undefined> => {
        if (options.sameEmailAs !== undefined) return undefined;
        const accept = (email: string): boolean =>
          !(options.except ?? []).includes(email) && (!options.ownAddress || emailPool.owns(email));
        for (let taken = tokenDepot.take(accept); taken !== undefined; taken = tokenDepot.take(accept)) {
          log.redactor.add(taken.token);
          const { token, email } = taken;
          const alive = await base.step(
            'a token handed on by an earlier test: control, it still works',
            async () => (await api.userDetails(token)).status === 200,
            { box: true },
          );
          if (alive) return { token, email, loginViolations: [] };
          testInfo.annotations.push({ type: 'token hand-on', description: 'a handed-on token no longer worked and was dropped' });
        }
        return undefined;
      };

      await use(async (options = {}) => {
        const token = (await handedOn(options)) ?? (await login(options));
        tokenLedger.obtained.push(token);
        return token;
      });

      // A token no logout of this test accepted (none was sent, or it was refused, as a "Bearer …"
      // logout may be), and that still works, serves a later test: one login less. A token a logout
      // accepted is never handed on, even if it still works (a revocation bug, or one that takes
      // effect late), so no later test inherits that bug.
      const spent = (token: string): boolean =>
        log.exchanges.some(
          (ex) => ex.path === LOGOUT_PATH && ex.status >= 200 && ex.status < 300 && (ex.requestHeaders.authorization ?? '').includes(token),
        );
      for (const { token, email } of tokenLedger.obtained.filter((t) => !tokenLedger.borrowed.has(t.token) && !spent(t.token))) {
        const alive = await base.step(
          'hand an unspent token on, if it still works',
          async () => (await api.userDetails(token)).status === 200,
          { box: true },
        );
        if (alive) tokenDepot.put({ token, email });
      }
    },
    { box: true, title: 'token source' },
  ],

  mintTokens: [
    async ({ mintToken }, use) =>
      use(async (count) => {
        // Not Promise.all: a first failure would end the test while the other logins still run, and
        // the retry's new worker could then ask the same address while one of them does.
        const settled = await Promise.allSettled(Array.from({ length: count }, () => mintToken()));
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (failed) throw failed.reason;
        return settled.map((s) => (s as PromiseFulfilledResult<UserToken>).value);
      }),
    { box: true, title: 'token source, several at once' },
  ],

  borrowToken: [
    async ({ mintToken, api, log, tokenDepot, tokenLedger }, use) => {
      await use(async () => {
        const token = await mintToken();
        tokenLedger.borrowed.add(token.token);
        return token;
      });
      // Blame stays with the test that killed a token: it was alive when lent, so it must be alive now.
      for (const { token, email } of tokenLedger.obtained.filter((t) => tokenLedger.borrowed.has(t.token))) {
        const ex = await base.step('hand the borrowed token on: it still works', () => api.userDetails(token), { box: true });
        expect(checkStillAlive(ex)).toHaveNoViolations('a token this test never logged out still works', (t) => log.redactor.text(t));
        tokenDepot.put({ token, email });
      }
    },
    { box: true, title: 'borrowed tokens' },
  ],

  // Not boxed: a boxed fixture hides its steps, and the login exchanges would lose their place in the report.
  freshToken: [async ({ mintToken }, use) => use(await mintToken()), { title: 'live user token' }],
  borrowedToken: [async ({ borrowToken }, use) => use(await borrowToken()), { title: 'borrowed live user token' }],

  // Rule 4 holds for every request of every test: collect during the test, fail once afterwards.
  noServerErrorsOrEchoes: [
    async ({ log }, use) => {
      await use();
      const violations = log.exchanges.flatMap((ex) => [...checkNotServerError(ex), ...checkNoEcho(ex)]);
      expect(violations).toHaveNoViolations('rule 4: no 5xx and no echoed token in any exchange of this test', (t) => log.redactor.text(t));
    },
    { auto: true, box: true, title: 'rule 4 guard: no 5xx, no echoed token' },
  ],
});

/** A group of tests that judge one verdict rule: titled and tagged (`@R2`) from the rule table. */
export function describeRule(id: RuleId, body: () => void): void {
  test.describe(
    `${id} · ${RULES[id].title}`,
    { tag: ruleTag(id), annotation: { type: 'verdict rule', description: RULES[id].asks } },
    body,
  );
}

export { expect };
export { LOGOUT_BODY_SHAPES, LOGOUT_PATH, OTHER_METHODS, TOKEN_OPERATIONS, labelOf } from './operations';
export { REFUSED_CREDENTIALS } from './credential-variants';
export { reportLatency } from './report-labels';
export { percentile } from './verdicts';
