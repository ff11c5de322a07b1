// server.ts as a process: the ready line the test config waits for, the faults line, the exit
// code of a bad invocation, and a clean stop on SIGTERM. The only self-test that listens (on
// loopback, on a free port).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'emulator', 'server.ts');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const READY = /^transak emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(TSX, [SERVER, ...args], {
    cwd: ROOT,
    env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_HOST: '127.0.0.1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitFor(condition: () => boolean, child: ChildProcessWithoutNullStreams): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    if (condition()) return;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not print its ready line');
}

test.describe.configure({ timeout: 30_000 });

test('prints the ready line, serves the flow, stops cleanly on SIGTERM', async () => {
  const server = start(['--faults=logout-201,slow-logout']);
  try {
    await waitFor(() => READY.test(server.output().stdout) && server.output().stdout.split('\n').length > 2, server.child);
    const lines = server.output().stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(READY);
    expect(lines[1]).toBe('emulator faults: logout-201,slow-logout');
    const base = READY.exec(lines[0])![1];
    const res = await fetch(`${base}/api/v2/auth/login`, {
      method: 'POST',
      headers: { 'x-api-key': 'emulator-partner-api-key', 'x-user-ip': '203.0.113.7', 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: 'emulator-partner-api-key', email: 'ready@example.test' }),
    });
    expect(res.status).toBe(200);
  } finally {
    server.child.kill('SIGTERM');
  }
  expect(await server.exited).toEqual({ code: 0, signal: null });
  expect(server.output().stderr).toBe('');
});

test('without faults only the ready line is printed', async () => {
  const server = start([]);
  try {
    await waitFor(() => READY.test(server.output().stdout), server.child);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.output().stdout.trim().split('\n')).toHaveLength(1);
  } finally {
    server.child.kill('SIGINT');
  }
  expect((await server.exited).code).toBe(0);
});

test('an unknown fault mode is one line on stderr and exit code 2', async () => {
  const server = start(['--faults=slow-logout,bogus']);
  expect((await server.exited).code).toBe(2);
  const { stdout, stderr } = server.output();
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^emulator: unknown fault mode "bogus"; known: logout-204-no-body, .*same-user-sessions-revoked\n$/);
});
