// Starts the emulator on a port, configured by EMULATOR_* variables (README.md). The test config waits
// for the ready line, so it is printed exactly once, on stdout, with nothing before it.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { UnknownFaultModeError } from './faults';
import { OptionsError, optionsFromEnv, resolveOptions, type EmulatorServerOptions } from './options';
import { describePolicies } from './policies';

/** Exit 2 for a bad invocation (usage, unknown fault mode); 1 for anything that fails later. */
function fail(message: string, exitCode: number): never {
  process.stderr.write(`emulator: ${message}\n`);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  let options: EmulatorServerOptions;
  let app: FastifyInstance;
  try {
    options = optionsFromEnv(process.env, process.argv.slice(2));
    app = buildApp(options);
  } catch (error) {
    if (error instanceof UnknownFaultModeError || error instanceof OptionsError) fail(error.message, 2);
    throw error;
  }

  await app.listen({ host: options.host, port: options.port });

  const { address, port } = app.server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  process.stdout.write(`transak emulator listening on http://${host}:${port}\n`);
  if (options.profile && options.profile !== 'reference') process.stdout.write(`emulator profile: ${options.profile}\n`);
  if (options.faults && options.faults.length > 0) process.stdout.write(`emulator faults: ${options.faults.join(',')}\n`);
  const policies = describePolicies(resolveOptions(options).policies);
  if (policies.length > 0) process.stdout.write(`emulator policies: ${policies.join('; ')}\n`);

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    // Keep-alive clients must not hold the process open past a test run.
    setTimeout(() => process.exit(0), 3000).unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error), 1);
});
