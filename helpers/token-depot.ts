/**
 * Live tokens handed on between tests, so a run logs in about once per token it must destroy.
 *
 * A test that only borrows a token (it never logs it out: rule 5's other methods, rule 3's variants
 * derived from a live token) hands it back when it ends, after proving it still works; a test that
 * needs a token takes one from here (proving it alive again) before it logs in anew. Every worker of
 * one run shares one folder (created by the preflight, named in TRANSAK_TOKEN_DEPOT, removed at the
 * end): a token is claimed by an atomic rename, so two workers never get the same one. The folder is
 * private to this user (0700, files 0600) and lives in the OS temp folder, never under reports/ or
 * test-results/, so nothing uploads it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { UserToken } from './auth-flow';
import { keyName, runFiles } from './run-files';

export const DEPOT_VARIABLE = 'TRANSAK_TOKEN_DEPOT';

/** What a taker needs of a token: the token, its address, and when it began and ends (auth-flow.ts). */
export type HandedOnToken = Pick<UserToken, 'token' | 'email' | 'mintedAt' | 'expiresAt'>;

export interface TokenDepot {
  put(token: HandedOnToken): void;
  /** The oldest token whose address passes the filter, claimed for this caller alone. */
  take(accept?: (email: string) => boolean): HandedOnToken | undefined;
}

export function createDepotDir(): string {
  return mkdtempSync(join(tmpdir(), 'transak-token-depot-'));
}

/**
 * The depot of one target: a run that judges several targets (a project each, with its own output
 * folder) keeps their tokens apart, under the run's depot folder.
 */
export function depotFor(runDir: string, root = process.env[DEPOT_VARIABLE]): string | undefined {
  return root && join(root, keyName(resolve(runDir)));
}

export function removeDepotDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The depot in `dir`; without one (a lone worker, a unit test) tokens are handed on in memory. */
export function openDepot(dir: string | undefined): TokenDepot {
  if (dir === undefined) {
    const held: HandedOnToken[] = [];
    return {
      put: (token) => void held.push(token),
      take: (accept = () => true) => {
        const index = held.findIndex((t) => accept(t.email));
        return index < 0 ? undefined : held.splice(index, 1)[0];
      },
    };
  }
  const files = runFiles(dir, 0o600);
  return {
    // The time leads the name (oldest first); the address ends it, so a taker filters without claiming.
    put: (token) =>
      files.put(
        `${Date.now().toString().padStart(15, '0')}-${randomUUID()}-${Buffer.from(token.email).toString('hex')}`,
        JSON.stringify(token),
      ),
    take(accept = () => true) {
      for (const name of files.names()) {
        if (!accept(Buffer.from(name.slice(name.lastIndexOf('-') + 1), 'hex').toString())) continue;
        const claimed = files.claim(name);
        if (claimed !== undefined) return JSON.parse(claimed) as HandedOnToken;
      }
      return undefined;
    },
  };
}
