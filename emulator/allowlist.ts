import { BlockList, isIPv4 } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ERR_API_KEY } from './errors';

/**
 * Transak accepts whitelabel calls only from allowlisted egress IPs, and a refused caller cannot
 * tell that from a wrong API key. So: the socket's remote address (never a header a client could
 * set) must be on the list, loopback included, or the request is answered like a bad API key
 * before anything else happens.
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
