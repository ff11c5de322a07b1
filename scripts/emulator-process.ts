/**
 * The emulator as its own process on a free loopback port, started as the config's webServer starts
 * it (`node --import tsx emulator/server.ts`). Fault modes go on the command line only.
 */
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { EMULATOR_COMMAND, EMULATOR_READY_LINE } from '../helpers/embedded-emulator';
import { ROOT } from '../helpers/repo-paths';

const READY_WITHIN_MS = 20_000;

export interface EmulatorStart {
  faults?: string[];
  /** Extra EMULATOR_* variables (cooldown, OTP, profile, …). */
  env?: Record<string, string>;
  /** Extra command-line arguments for server.ts. */
  args?: string[];
}

export type EmulatorProcess = ReturnType<typeof spawnEmulator>;

/** A ready emulator as its users see it: its URL, all it printed, and its stop. */
export type RunningEmulator = { url: string; output: () => string; stop: () => Promise<void> };

export function spawnEmulator({ faults = [], env = {}, args = [] }: EmulatorStart = {}) {
  const argv = [...EMULATOR_COMMAND.slice(1), ...(faults.length ? [`--faults=${faults.join(',')}`] : []), ...args];
  const child = spawn(process.execPath, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const printed = { stdout: '', stderr: '', output: '' };
  for (const stream of ['stdout', 'stderr'] as const)
    child[stream].on('data', (chunk: Buffer) => {
      printed[stream] += chunk.toString();
      printed.output += chunk.toString();
    });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const fail = (why: string): Promise<never> => Promise.reject(new Error(`emulator ${why}:\n${printed.output}`));
  const ready = Promise.race([
    new Promise<string>((resolveUrl) =>
      child.stdout.on('data', () => {
        const url = EMULATOR_READY_LINE.exec(printed.stdout)?.groups?.transak_emulator_url;
        if (url !== undefined) resolveUrl(url);
      }),
    ),
    exited.then(({ code }) => fail(`exited with code ${code} before it was ready`)),
    delay(READY_WITHIN_MS, undefined, { ref: false }).then(() => fail(`did not start within ${READY_WITHIN_MS / 1000} s`)),
  ]);
  // A caller that expects a failed start awaits `exited` instead: no unhandled rejection then.
  ready.catch(() => undefined);
  return {
    /** The base URL, once the ready line is printed; rejects if the process exits first or is slow. */
    ready,
    exited,
    stdout: () => printed.stdout,
    stderr: () => printed.stderr,
    output: () => printed.output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
