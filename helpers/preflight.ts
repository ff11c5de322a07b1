/**
 * The preflight, as Playwright's global setup: once per run (once per shard), before any test.
 * Is the configuration valid, is the pool big enough for every process to own its addresses, does
 * the target answer, accept the caller and issue a token? If not, the run stops here with one line
 * that says which and how to fix it: no test runs, so there is no cascade of identical failures,
 * and a retry never runs it again. It is not a test, so sharded reports never count it twice.
 *
 * Its token is handed on to the first test that needs one (token-depot.ts), and its address is
 * kept out of use for its cooldown (otp-ledger.ts).
 */
import { request, type FullConfig } from '@playwright/test';
import { mintUserToken } from './auth-flow';
import { systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { createEmailPool, partitionFor, partitionSummary, processSlot } from './email-pool';
import { otpProviderFor } from './otp/providers';
import { openOtpLedger } from './otp-ledger';
import { createRedactor } from './redact';
import { loginGuards } from './run-stop';
import { createSchemaValidator } from './schema-validator';
import { createDepotDir, DEPOT_VARIABLE, openDepot, removeDepotDir } from './token-depot';
import { createTransakApi } from './transak-api';

export class PreflightError extends Error {
  override name = 'PreflightError';
}

/** One line, no stack: the message already says what to fix. */
function oneLine(error: unknown): Error {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stopped = new PreflightError(`preflight failed, nothing was tested: ${message.split('\n')[0]}`);
  stopped.stack = `${stopped.name}: ${stopped.message}`;
  return stopped;
}

export default async function preflight(config: FullConfig): Promise<() => void> {
  const depotDir = createDepotDir();
  process.env[DEPOT_VARIABLE] = depotDir;
  const teardown = (): void => removeDepotDir(depotDir);
  const context = await request.newContext();
  try {
    const suiteConfig = loadConfig();
    const shards = config.shard?.total ?? 1;
    // The shard's last process gives the preflight its address: the first tests dispatched (the
    // long waits) land on the first workers, which then have every address free.
    const lender = processSlot(config.shard, config.workers - 1, config.workers);
    let email: string | undefined;
    if (suiteConfig.emails !== null) {
      const { slots } = lender;
      if (suiteConfig.emails.length < slots) {
        throw new ConfigError(
          `TRANSAK_EMAILS lists ${suiteConfig.emails.length} addresses for ${slots} processes (${shards} shard(s) × ${config.workers} workers), and no two processes may share one: add ${slots - suiteConfig.emails.length} addresses, or run with --workers=${Math.max(1, Math.floor(suiteConfig.emails.length / shards))}`,
        );
      }
      console.log(partitionSummary(suiteConfig.emails.length, slots, shards));
      email = partitionFor(suiteConfig.emails, lender.slot, lender.slots)[0];
    }
    const redactor = createRedactor();
    const api = createTransakApi(context, suiteConfig, { redactor, exchanges: [], record: async () => undefined });
    const otp = otpProviderFor(suiteConfig.otp);
    const runDir = config.projects[0]?.outputDir ?? 'test-results';
    try {
      const pool = createEmailPool({
        emails: email === undefined ? null : [email],
        cooldownMs: suiteConfig.otpCooldownMs,
        clock: systemClock,
        generatedPrefix: `qa-preflight-${Date.now().toString(36)}`,
        ledger: openOtpLedger(runDir),
      });
      const deps = { api, pool, otp, validator: createSchemaValidator(), clock: systemClock, cooldownMs: suiteConfig.otpCooldownMs };
      const minted = await mintUserToken({ ...deps, ...loginGuards(runDir) });
      openDepot(depotDir).put({ token: minted.token, email: minted.email });
      console.log(`[preflight] ${new URL(suiteConfig.baseUrl).host} answered, accepted the caller and issued a token`);
    } finally {
      await otp.close?.();
    }
    return teardown;
  } catch (error) {
    teardown();
    throw oneLine(error);
  } finally {
    await context.dispose();
  }
}
