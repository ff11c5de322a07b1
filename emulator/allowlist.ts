import { BlockList, isIPv4 } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ERR_API_KEY } from './errors';

/**
 * Transak accepts whitelabel calls only from allowlisted IPs, refusing others like a wrong API key. The
 * socket's address is judged (never a header a client could set), loopback included, before anything else.
 */
export function installAllowlist(app: FastifyInstance, addresses: readonly string[]): void {
  const allowed = new BlockList();
  for (const address of addresses) allowed.addAddress(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  app.addHook('onRequest', async (request) => {
    if (!isAllowed(allowed, request.socket.remoteAddress)) throw ERR_API_KEY();
  });
}

function isAllowed(allowed: BlockList, remote: string | undefined): boolean {
  if (remote === undefined) return false;
  // A dual-stack socket reports an IPv4 caller as ::ffff:a.b.c.d: judge it as the IPv4 address it is.
  const v4 = remote.startsWith('::ffff:') ? remote.slice('::ffff:'.length) : remote;
  if (isIPv4(v4)) return allowed.check(v4, 'ipv4');
  return allowed.check(remote, 'ipv6');
}
