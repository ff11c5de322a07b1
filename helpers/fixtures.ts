/**
 * The suite's one fixture module: specs import `test`, `expect` and `describeRule` from here only.
 * Worker fixtures hold what is fixed for a process (configuration, schemas, its share of the email
 * pool, the token depot); test fixtures hand each test what it needs, lazily: a test that never
 * names a token mints none.
 */
import { test as base } from '@playwright/test';
import type { UserToken } from './auth-flow';
import { loadConfig, type SuiteConfig } from './config';
import { partitionFor, processSlot, type EmailPool } from './email-pool';
import { createExchangeLog, type ExchangeLog } from './exchange-log';
import { openLogoutRegister } from './logout-register';
import { otpProviderFor, type OtpProvider } from './otp/providers';
import { openOtpLedger } from './otp-ledger';
import { createRedactor } from './redact';
import { RULES, ruleOfTags, ruleTag, type RuleId } from './rules';
import { createSchemaValidator, type SchemaValidator } from './schema-validator';
import { depotFor, openDepot, type TokenDepot } from './token-depot';
import { createTokenSupply, runPool, type TokenSupply } from './token-supply';
import { createTransakApi, type TransakApi } from './transak-api';
import { createVerdictSteps, expect, type VerdictSteps } from './verdict-steps';
import { checkRule4 } from './verdicts';

interface TestFixtures {
  log: ExchangeLog;
  api: TransakApi;
  verdict: VerdictSteps;
  /** This test's token supply (token-supply.ts): hand-ons, logins, and what is handed on when it ends. */
  tokens: TokenSupply;
  /** A live token this test may destroy: handed on by an earlier test (proven alive) or a new login. */
  mintToken: TokenSupply['mint'];
  /** A live token this test may destroy, maybe handed on by an earlier test: not always a new login. */
  liveToken: UserToken;
  noServerErrorsOrEchoes: void;
  failureKeepsWorker: void;
}

interface WorkerFixtures {
  /**
   * Variables over the environment for this project's target: one run may judge several targets,
   * a project each with its own output folder (the self-tests' kill matrix does).
   */
  targetEnv: Record<string, string>;
  /**
   * A run that judges many targets at once (the self-tests' kill matrix) keeps a worker after a
   * failed test: Playwright otherwise starts a new worker process after every failure, which there
   * costs more than the tests. The failure is still reported as failed; off by default.
   */
  keepWorkerOnFailure: boolean;
  suiteConfig: SuiteConfig;
  validator: SchemaValidator;
  emailPool: EmailPool;
  otpProvider: OtpProvider;
  tokenDepot: TokenDepot;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  targetEnv: [{}, { option: true, scope: 'worker' }],
  keepWorkerOnFailure: [false, { option: true, scope: 'worker' }],
  // Set up before the other automatic fixtures, so torn down after them: their failures count too.
  failureKeepsWorker: [
    async ({ keepWorkerOnFailure }, use, testInfo) => {
      await use();
      if (keepWorkerOnFailure && testInfo.status === 'failed') testInfo.expectedStatus = 'failed';
    },
    { auto: true, box: true, title: 'keep the worker after a failure (a run of many targets)' },
  ],
  suiteConfig: [
    async ({ targetEnv }, use) => use(loadConfig({ ...process.env, ...targetEnv })),
    { scope: 'worker', box: true, title: 'suite configuration' },
  ],
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
      const emails = suiteConfig.emails && partitionFor(suiteConfig.emails, slot, slots);
      const prefix = `qa-${Date.now().toString(36)}-w${workerInfo.workerIndex}`;
      await use(runPool(suiteConfig, workerInfo.project.outputDir, emails, prefix, (message) => console.log(`[email pool] ${message}`)));
    },
    { scope: 'worker', box: true, title: 'test user pool' },
  ],
  tokenDepot: [
    async ({}, use, workerInfo) => use(openDepot(depotFor(workerInfo.project.outputDir))),
    { scope: 'worker', box: true, title: 'token depot' },
  ],

  log: [
    async ({}, use, testInfo) => {
      // Every logout that succeeds is told to the run's other workers (logout-register.ts).
      const logouts = openLogoutRegister(testInfo.project.outputDir);
      await use(createExchangeLog(testInfo, createRedactor(), (ex, at) => logouts.record(testInfo.parallelIndex, ex, at)));
    },
    { box: true, title: 'HTTP exchange log' },
  ],

  api: [
    async ({ playwright, suiteConfig, log }, use) => {
      const request = await playwright.request.newContext({ timeout: suiteConfig.requestTimeoutMs });
      await use(createTransakApi(request, suiteConfig, log));
      await request.dispose();
    },
    { box: true, title: 'Transak API client' },
  ],

  verdict: [
    async ({ api, log, validator }, use, testInfo) => use(createVerdictSteps(api, log, validator, testInfo.project.outputDir)),
    { box: true, title: 'verdict steps' },
  ],

  tokens: [
    async ({ api, emailPool, otpProvider, validator, suiteConfig, log, tokenDepot, verdict }, use, testInfo) => {
      const outputDir = testInfo.project.outputDir;
      const supply = createTokenSupply({
        api,
        pool: emailPool,
        otp: otpProvider,
        validator,
        config: suiteConfig,
        log,
        depot: tokenDepot,
        ledger: openOtpLedger(outputDir),
        outputDir,
        testInfo,
        judge: verdict.judge,
      });
      await use(supply);
      await supply.settle();
    },
    { box: true, title: 'token source' },
  ],
  mintToken: [async ({ tokens }, use) => use(tokens.mint), { box: true, title: 'token source: mint' }],

  // Not boxed: a boxed fixture hides its steps, and the login exchanges would lose their place in the report.
  liveToken: [async ({ mintToken }, use) => use(await mintToken()), { title: 'live user token' }],

  // Rule 4 holds for every request of every test: collected during the test, and judged by rule 4
  // (its own sweep judges its own requests; another rule's test records what it met for rule 4).
  noServerErrorsOrEchoes: [
    async ({ log, verdict }, use, testInfo) => {
      await use();
      if (ruleOfTags(testInfo.tags) === 'R4') return;
      const violations = log.exchanges.flatMap(checkRule4);
      verdict.judge('R4', violations, 'rule 4: no 5xx and no echoed token in any exchange of this test');
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
export type { TokenSupply } from './token-supply';
export type { VerdictSteps } from './verdict-steps';
export type { LogoutBodyShape } from './operations';
/** A test's fixtures, for a rule's check that a spec hands them to (a check that may judge again). */
export type { TestFixtures as SuiteFixtures };
export { controlledToken, logOutLiveToken } from './live-token';
export { LOGOUT_BODY_SHAPES, LOGOUT_PATH, OTHER_METHODS, SIMULTANEOUS_LOGOUTS, TOKEN_OPERATIONS, labelOf } from './operations';
export { REFUSED_CREDENTIALS } from './credential-variants';
export { reportLatency } from './report-labels';
export { POLICY_NOTES } from './policy-notes';
export { percentile } from './verdicts';
