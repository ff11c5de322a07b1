/**
 * The suite's one fixture module: specs import `test` and `expect` from here only. Worker fixtures
 * hold what is fixed for a run (configuration, schemas, the email pool); test fixtures hand each
 * test what it needs, lazily: a test that never names `freshToken` mints none.
 */
import { test as base, expect } from '@playwright/test';
import { AccountLockedError, mintUserToken, type UserToken } from './auth-flow';
import { systemClock } from './clock';
import { loadConfig, type SuiteConfig } from './config';
import { createEmailPool, partitionForWorker, type EmailPool } from './email-pool';
import { createExchangeLog, type ExchangeLog } from './exchange-log';
import { otpProviderFor, type OtpProvider } from './otp/providers';
import { createRedactor } from './redact';
import { assertLoginsAllowed, LoginsStoppedError, stopLogins } from './run-stop';
import { createSchemaValidator, type SchemaValidator } from './schema-validator';
import { createTransakApi, type TransakApi } from './transak-api';
import { RULES, ruleTag, type RuleId } from './rules';
import { createVerdictSteps, type VerdictSteps } from './verdict-steps';
import { checkNoEcho, checkNotServerError } from './verdicts';

export interface MintOptions {
  /** A second session of this user (waits out the OTP cooldown of the address). */
  sameEmailAs?: string;
  /** Addresses this token must not belong to (a different user). */
  except?: string[];
}

interface TestFixtures {
  log: ExchangeLog;
  api: TransakApi;
  mintToken: (options?: MintOptions) => Promise<UserToken>;
  freshToken: UserToken;
  verdict: VerdictSteps;
  noServerErrorsOrEchoes: void;
}

interface WorkerFixtures {
  suiteConfig: SuiteConfig;
  validator: SchemaValidator;
  emailPool: EmailPool;
  otpProvider: OtpProvider;
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
      const emails = suiteConfig.emails && partitionForWorker(suiteConfig.emails, workerInfo.parallelIndex, workerInfo.config.workers);
      await use(
        createEmailPool({
          emails,
          cooldownMs: suiteConfig.otpCooldownMs,
          clock: systemClock,
          generatedPrefix: `qa-${Date.now().toString(36)}-w${workerInfo.workerIndex}`,
          onWait: (message) => console.log(`[email pool] ${message}`),
        }),
      );
    },
    { scope: 'worker', box: true, title: 'test user pool' },
  ],

  log: [async ({}, use, testInfo) => use(createExchangeLog(testInfo, createRedactor())), { box: true, title: 'HTTP exchange log' }],

  api: [
    async ({ playwright, suiteConfig, log }, use) => {
      const request = await playwright.request.newContext({ timeout: suiteConfig.requestTimeoutMs });
      await use(createTransakApi(request, suiteConfig, log));
      await request.dispose();
    },
    { box: true, title: 'Transak API client' },
  ],

  mintToken: [
    async ({ api, emailPool, otpProvider, validator, suiteConfig, log }, use, testInfo) => {
      // A locked account stops every later login of the run, in every worker (run-stop.ts).
      const runDir = testInfo.project.outputDir;
      const beforeLogin = (): void => assertLoginsAllowed(runDir);
      await use(async (options = {}) => {
        const minted = await base
          .step(
            options.sameEmailAs ? 'fresh token for the same user (Send User OTP → Verify User OTP)' : 'fresh user token (Send User OTP → Verify User OTP)',
            () =>
              mintUserToken({ api, pool: emailPool, otp: otpProvider, validator, clock: systemClock, cooldownMs: suiteConfig.otpCooldownMs, beforeLogin }, options).catch((error: unknown) => {
                if (error instanceof AccountLockedError) stopLogins(runDir, error.message);
                throw error;
              }),
            { box: true },
          )
          .catch((error: unknown) => {
            // Skipped, not failed: one failure already says why. A retry (nightly) fails instead, or
            // its first failure would end up reported as flaky.
            if (error instanceof LoginsStoppedError && testInfo.retry === 0) testInfo.skip(true, error.message);
            throw error;
          });
        log.redactor.add(minted.token);
        return minted;
      });
    },
    { box: true, title: 'token minter' },
  ],

  verdict: [async ({ api, log, validator }, use) => use(createVerdictSteps(api, log, validator)), { box: true, title: 'verdict steps' }],

  // Not boxed: a boxed fixture hides its steps, and the login exchanges would lose their place in the report.
  freshToken: [async ({ mintToken }, use) => use(await mintToken()), { title: 'fresh user token' }],

  // Rule 4 holds for every request of every test: collect during the test, fail once afterwards.
  noServerErrorsOrEchoes: [
    async ({ log }, use) => {
      await use();
      const violations = log.exchanges.flatMap((ex) => [...checkNotServerError(ex), ...checkNoEcho(ex)]).map((v) => log.redactor.text(v));
      expect(violations, 'rule 4: no 5xx and no echoed token in any exchange of this test').toEqual([]);
    },
    { auto: true, box: true, title: 'rule 4 guard: no 5xx, no echoed token' },
  ],
});

/** A group of tests that judge one verdict rule: titled and tagged (`@R2`) from the rule table. */
export function describeRule(id: RuleId, body: () => void): void {
  test.describe(`${id} · ${RULES[id].title}`, { tag: ruleTag(id), annotation: { type: 'verdict rule', description: RULES[id].asks } }, body);
}

export { expect };
