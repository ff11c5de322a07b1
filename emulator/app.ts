import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { installAllowlist } from './allowlist';
import { installBodyParsers } from './body-parsers';
import { createContext } from './context';
import { installErrorHandling } from './error-handler';
import { installFaults } from './faults';
import { installHang, installNoise, type NetworkStats } from './network';
import { resolveOptions, type EmulatorOptions } from './options';
import { installRateLimit } from './rate-limit';
import { loginRoute } from './routes/login';
import { logoutRoutes } from './routes/logout';
import { refreshRoute } from './routes/refresh';
import { userRoute } from './routes/user';
import { verifyRoute } from './routes/verify';
import { installStats } from './stats';

const NOISE_STATS = new WeakMap<FastifyInstance, NetworkStats>();

/** What an app's network noise did (the resets), for a self-test that serves it in process. */
export function noiseStatsOf(app: FastifyInstance): NetworkStats | undefined {
  return NOISE_STATS.get(app);
}

/** The emulator as a Fastify instance that never listens (tests inject(); server.ts opens the port). Throws on bad options or modes. */
export function buildApp(options: EmulatorOptions = {}): FastifyInstance {
  const resolved = resolveOptions(options);
  const ctx = createContext(resolved);

  const app = Fastify({
    // Off unless asked for: requests carry tokens, API keys and OTPs. When on, headers are left out
    // (the redaction is a second lock), and so is the query (Get User Details carries the API key
    // there). stderr, since stdout carries only server.ts's ready line.
    logger: resolved.log
      ? {
          level: 'info',
          stream: process.stderr,
          redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
          serializers: { req: (request: FastifyRequest) => ({ method: request.method, path: request.url.replace(/\?.*$/s, '') }) },
        }
      : false,
    bodyLimit: 16 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });

  // Network noise and hangs act first, as a network would; then the gateway's allowlist and rate limit.
  if (options.noise) NOISE_STATS.set(app, installNoise(app, options.noise));
  if (options.hang) installHang(app, options.hang);
  if (resolved.allowlist) installAllowlist(app, resolved.allowlist);
  installRateLimit(app, ctx);
  installBodyParsers(app);
  installErrorHandling(app, ctx);
  if (resolved.statsFile) installStats(app, resolved.statsFile);
  installFaults({ app, ctx }, resolved.faults);

  for (const route of [loginRoute, verifyRoute, userRoute, refreshRoute, logoutRoutes]) route(app, ctx);
  return app;
}
