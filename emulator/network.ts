// What the network, not the server, can do to a request, for the reliability self-tests: noise (latency,
// rare resets) and a hang. Both act before any handler, so a reset or hung request changed nothing on
// the server. Neither is a fault mode: the suite must pass under noise, and a hang breaks no verdict rule.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface NoiseOptions {
  /** Each request waits a uniformly random 0..maxDelayMs before it reaches routing's next step. */
  maxDelayMs: number;
  /** Chance that a request's connection is reset (destroyed without an answer). */
  resetRate: number;
  /**
   * At least this many requests pass between two resets: squeezed into a short run, unspaced resets would
   * meet a client's one retry by the test's own density, not by anything a real network does.
   */
  minRequestsBetweenResets: number;
}

export const DEFAULT_NOISE: Readonly<NoiseOptions> = Object.freeze({ maxDelayMs: 200, resetRate: 0.02, minRequestsBetweenResets: 25 });

export interface HangOptions {
  /** Path (no query) whose requests are never answered, whatever the method. */
  path: string;
  /** Only the first `count` matching requests hang; the rest are served. Infinity: all of them. */
  count: number;
  /** This many matching requests are served before the hanging ones (the preflight's, say). */
  after?: number;
}

/** What the noise did, for a self-test that serves the app in process. */
export type NetworkStats = { resets: number };

export function installNoise(app: FastifyInstance, noise: NoiseOptions): NetworkStats {
  const stats: NetworkStats = { resets: 0 };
  let sinceReset = noise.minRequestsBetweenResets;
  app.addHook('onRequest', async (request, reply) => {
    const delay = Math.floor(Math.random() * (noise.maxDelayMs + 1));
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    sinceReset += 1;
    if (sinceReset > noise.minRequestsBetweenResets && Math.random() < noise.resetRate) {
      sinceReset = 0;
      stats.resets += 1;
      // stderr (stdout carries only the ready line), so a self-test can count the resets.
      process.stderr.write(`emulator noise: reset ${request.method} ${request.url.replace(/\?.*$/s, '')}\n`);
      // No handler ran and nothing was sent: the client sees a reset connection, nothing else.
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    return undefined;
  });
  return stats;
}

export function installHang(app: FastifyInstance, hang: HangOptions): void {
  const held = new Set<Socket>();
  let left = hang.count;
  let served = hang.after ?? 0;
  const wanted = hang.path.replace(/\/+$/, '');
  app.addHook('onRequest', async (request, reply) => {
    if (left <= 0 || request.url.replace(/\?.*$/s, '').replace(/\/+$/, '') !== wanted) return undefined;
    if (served > 0) {
      served -= 1;
      return undefined;
    }
    left -= 1;
    // Never answered: the client's own timeout is the only way out.
    reply.hijack();
    held.add(request.raw.socket);
    request.raw.socket.once?.('close', () => held.delete(request.raw.socket));
    return reply;
  });
  // A held socket would keep close() waiting: let them go when the server stops.
  app.addHook('preClose', async () => {
    // inject() requests have a stand-in socket without destroy().
    for (const socket of held) if (typeof socket.destroy === 'function') socket.destroy();
  });
}
