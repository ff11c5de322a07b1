/**
 * The first step of `npm test`: the Debian packages the self-tests drive and the static checks, side
 * by side, since an install waits on the network and dpkg and the checks on the CPU. The install
 * speaks as it goes (it may take a minute); each check's output is printed whole when it ends. Any
 * failure stops npm test before the self-tests start.
 */
import { spawn } from 'node:child_process';
import { TSX } from '../helpers/repo-paths';

export const STEPS: ReadonlyArray<{ name: string; argv: string[]; live?: boolean }> = [
  { name: "Debian's packages", argv: [process.execPath, TSX, 'scripts/system-deps-install.ts'], live: true },
  { name: 'npm run typecheck', argv: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'npm run lint', argv: ['npm', 'run', '--silent', 'lint'] },
  { name: 'npm run schemas:check', argv: ['npm', 'run', '--silent', 'schemas:check'] },
];

function run({ name, argv: [command, ...args], live }: (typeof STEPS)[number]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'] });
    const output: Buffer[] = [];
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code) => {
      process.stdout.write(Buffer.concat(output));
      if (code !== 0) console.error(`npm test: ${name} failed (exit ${code ?? 'by signal'}); the self-tests did not start`);
      resolve(code === 0);
    });
  });
}

if (require.main === module) {
  void Promise.all(STEPS.map(run)).then((passed) => {
    process.exitCode = passed.every(Boolean) ? 0 : 1;
  });
}
