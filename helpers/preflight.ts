/**
 * The preflight, as Playwright's global setup: once per run (once per shard), before any test.
 * Is the configuration valid, is the pool big enough for every process to own its addresses, does
 * the target answer, accept the caller and issue a token? If not, the run stops here with one line
 * that says which and how to fix it: no test runs, so there is no cascade of identical failures,
 * and a retry never runs it again. It is not a test, so sharded reports never count it twice.
 *
 * Its token serves the live controls of the rejection probes (probe-controls.ts), and its address
 * is kept out of use for its cooldown (otp-ledger.ts). Its teardown, after every test of the run,
 * gives the run-level verdict of each rule (foreign-findings.ts).
 */
import { request, type FullConfig } from '@playwright/test';
import { ConfigError, loadConfig } from './config';
import { partitionFor, partitionSummary, processSlot } from './email-pool';
import { otpProviderFor } from './otp/providers';
import { createRedactor, type Redactor } from './redact';
import { createSchemaValidator } from './schema-validator';
import { readFindings, runVerdict } from './foreign-findings';
import { isClientError, type Exchange } from './exchange';
import { labelOf, TOKEN_OPERATIONS, type TokenOperation } from './operations';
import { cannotJudge, controlOf, notLiveControlNote, writeControls, type ProbeControls } from './probe-controls';
import { createDepotDir, DEPOT_VARIABLE, removeDepotDir } from './token-depot';
import { poolLogin, runPool } from './token-supply';
import { createTransakApi, type TransakApi } from './transak-api';

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

/**
 * The live controls of the rejection probes, in the probes' own request shape: Get User Details and
 * Refresh are sent the preflight's token, then Logout is sent a token that still works (the token
 * itself, or the one Refresh handed out if Refresh ended it). The token is spent: it is never handed on.
 *
 * A control proves something only if its token was live. One refused, and refused by Get User
 * Details as well, was not (on a gateway whose logout ends every token, the other shard's preflight
 * ends it), so the controls run once more with a token minted by `again`. Not live again, Logout's
 * control is marked so (probe-controls.ts: rule 1's test shows whether Logout accepts a live
 * token), while refusals by Refresh and Get User Details stand: nothing else proves they accept one.
 */
export async function controlProbes(
  api: TransakApi,
  token: string,
  redactor: Redactor,
  again?: () => Promise<string>,
): Promise<ProbeControls> {
  const notLive = async (ex: Exchange, auth: string): Promise<boolean> =>
    isClientError(ex) && (ex.operationId === 'get-user-details' || (await api.call('get-user-details', auth)).status !== 200);
  const retry = async (operation: TokenOperation): Promise<ProbeControls> => {
    console.log(
      `[preflight] the token was not live at ${labelOf(operation)}'s control (Get User Details refused it too): the controls run again with a new token`,
    );
    return controlProbes(api, await again!(), redactor);
  };
  const details = await api.call('get-user-details', token);
  if (again && (await notLive(details, token))) return retry('get-user-details');
  const refreshed = await api.call('refresh-user-access-token', token);
  if (again && (await notLive(refreshed, token))) return retry('refresh-user-access-token');
  const handedOut = (refreshed.json as { data?: { accessToken?: unknown } } | undefined)?.data?.accessToken;
  const other = typeof handedOut === 'string' && handedOut !== '' && handedOut !== token ? handedOut : undefined;
  if (other !== undefined) redactor.add(other);
  const live = other === undefined || (await api.call('get-user-details', token)).status === 200 ? token : other;
  const logout = await api.call('logout-user', live);
  const logoutNotLive = await notLive(logout, live);
  // Leave no session of the preflight behind; a failure here is no verdict on the target.
  if (other !== undefined && live !== other) await api.call('logout-user', other).catch(() => undefined);
  if (again && logoutNotLive) return retry('logout-user');
  return {
    'get-user-details': controlOf(details),
    'refresh-user-access-token': controlOf(refreshed),
    'logout-user': logoutNotLive ? { ...controlOf(logout), notLive: true } : controlOf(logout),
  };
}

/** What the preflight prints of its controls, redacted: a refusal quotes the gateway's message, which a token-echoing gateway fills with the token. */
export function controlLines(controls: ProbeControls, redactor: Redactor): string[] {
  return TOKEN_OPERATIONS.map(
    (op) =>
      cannotJudge(op, controls[op]) ??
      notLiveControlNote(op, controls[op]) ??
      `${labelOf(op)} accepts a live token (${controls[op]?.status})`,
  ).map(redactor.text);
}

/** The run-level verdict, after every test: a rule broken only where another rule's test met it is still red. */
export function judgeRun(outputDir: string): void {
  const verdict = runVerdict(readFindings(outputDir));
  if (verdict === undefined) return;
  const error = new RunVerdictError(verdict);
  error.stack = `${error.name}: ${error.message}`;
  throw error;
}

export class RunVerdictError extends Error {
  override name = 'RunVerdictError';
}

/** What one target's preflight needs: its environment, its run folder, and how many processes share its pool. */
export interface PreflightTarget {
  env: NodeJS.ProcessEnv;
  runDir: string;
  workers: number;
  shard: FullConfig['shard'];
}

/** One target's preflight; resolves to its teardown (the run-level verdict), or rejects with one line. */
export async function preflightTarget({ env, runDir, workers, shard }: PreflightTarget): Promise<() => void> {
  const context = await request.newContext();
  try {
    const suiteConfig = loadConfig(env);
    const shards = shard?.total ?? 1;
    // The shard's last process gives the preflight its address: the first tests dispatched (the
    // long waits) land on the first workers, which then have every address free.
    const lender = processSlot(shard, workers - 1, workers);
    let addresses: string[] | null = null;
    if (suiteConfig.emails !== null) {
      const { slots } = lender;
      if (suiteConfig.emails.length < slots) {
        throw new ConfigError(
          `TRANSAK_EMAILS lists ${suiteConfig.emails.length} addresses for ${slots} processes (${shards} shard(s) × ${workers} workers), and no two processes may share one: add ${slots - suiteConfig.emails.length} addresses, or run with --workers=${Math.max(1, Math.floor(suiteConfig.emails.length / shards))}`,
        );
      }
      console.log(partitionSummary(suiteConfig.emails.length, slots, shards));
      // Two at most: the second serves only a second login, when the first token ends under its controls.
      addresses = partitionFor(suiteConfig.emails, lender.slot, lender.slots).slice(0, 2);
    }
    const redactor = createRedactor();
    const api = createTransakApi(context, suiteConfig, { redactor, record: async () => undefined });
    const otp = otpProviderFor(suiteConfig.otp);
    try {
      const pool = runPool(suiteConfig, runDir, addresses, `qa-preflight-${Date.now().toString(36)}`);
      const validator = createSchemaValidator();
      const mint = async (): Promise<string> => (await poolLogin({ api, pool, otp, validator, config: suiteConfig, runDir })).token;
      const token = await mint();
      console.log(`[preflight] ${new URL(suiteConfig.baseUrl).host} answered, accepted the caller and issued a token`);
      const controls = await controlProbes(api, token, redactor, mint);
      writeControls(runDir, controls);
      for (const line of controlLines(controls, redactor)) console.log(`[preflight] ${line}`);
    } finally {
      await otp.close?.();
    }
    return () => judgeRun(runDir);
  } catch (error) {
    throw oneLine(error);
  } finally {
    await context.dispose();
  }
}

export default async function preflight(config: FullConfig): Promise<() => void> {
  const depotDir = createDepotDir();
  process.env[DEPOT_VARIABLE] = depotDir;
  const cleanUp = (): void => removeDepotDir(depotDir);
  try {
    const runDir = config.projects[0]?.outputDir ?? 'test-results';
    const judge = await preflightTarget({ env: process.env, runDir, workers: config.workers, shard: config.shard });
    return () => {
      cleanUp();
      judge();
    };
  } catch (error) {
    cleanUp();
    throw error;
  }
}
