/**
 * Starts the emulator as its own process on a free loopback port, as the config's webServer does
 * (`node --import tsx emulator/server.ts`), and stops it. Fault modes go on the command line only.
 */
import { spawn } from 'node:child_process';
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

export function spawnEmulator({ faults = [], env = {}, args = [] }: EmulatorStart = {}) {
  const argv = [...EMULATOR_COMMAND.slice(1), ...(faults.length ? [`--faults=${faults.join(',')}`] : []), ...args];
  const child = spawn(process.execPath, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const ready = new Promise<string>((resolveUrl, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`emulator did not start within ${READY_WITHIN_MS / 1000} s:\n${output}`)),
      READY_WITHIN_MS,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
      const match = EMULATOR_READY_LINE.exec(stdout);
      if (match?.groups) {
        clearTimeout(timer);
        resolveUrl(match.groups.transak_emulator_url);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      output += chunk.toString();
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      fail(new Error(`emulator exited with code ${code} before it was ready:\n${output}`));
    });
  });
  // A caller that expects a failed start awaits `exited` instead: no unhandled rejection then.
  ready.catch(() => undefined);
  return {
    /** The base URL, once the ready line is printed; rejects if the process exits first or is slow. */
    ready,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /** Everything the process printed so far (stdout and stderr). */
    output: () => output,
    /** Sends `signal` unless the process has exited, and waits for the exit. */
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export type RunningEmulator = Awaited<ReturnType<typeof startEmulator>>;

/** A started emulator process; the caller stops it (selftests/fixtures.ts does it for its tests). */
export async function startEmulator(start: EmulatorStart = {}) {
  const emulator = spawnEmulator(start);
  try {
    const url = await emulator.ready;
    return { url, output: emulator.output, stop: async () => void (await emulator.stop()) };
  } catch (error) {
    await emulator.stop('SIGKILL');
    throw error;
  }
}
