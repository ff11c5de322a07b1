/**
 * Starts the emulator as its own process on a free loopback port, the way a user would
 * (`tsx emulator/server.ts`), and stops it. Fault modes go on the command line only.
 */
import { spawn } from 'node:child_process';
import { EMULATOR_READY_LINE } from '../../helpers/embedded-emulator';
import { ROOT, TSX } from '../../scripts/repo-paths';

export { ROOT, TSX };

export interface RunningEmulator {
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface EmulatorStart {
  faults?: string[];
  /** Extra EMULATOR_* variables (cooldown, OTP, …). */
  env?: Record<string, string>;
  /** Extra command-line arguments for server.ts. */
  args?: string[];
}

export async function startEmulator({ faults = [], env = {}, args = [] }: EmulatorStart = {}): Promise<RunningEmulator> {
  const argv = [TSX, 'emulator/server.ts', ...(faults.length ? [`--faults=${faults.join(',')}`] : []), ...args];
  const child = spawn(process.execPath, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`emulator did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = EMULATOR_READY_LINE.exec(output);
      if (match?.groups) {
        clearTimeout(timer);
        ready(match.groups.transak_emulator_url);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`emulator exited with code ${code} before it was ready:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
