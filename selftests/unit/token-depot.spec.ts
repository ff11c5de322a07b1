import { expect, test } from '../fixtures';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDepotDir, openDepot, removeDepotDir } from '../../helpers/token-depot';

test.describe('the token depot (tokens handed on between tests)', () => {
  /** Puts two tokens in, then takes them out through `open()` handles, as workers would. */
  function takeTurns(open: () => ReturnType<typeof openDepot>): Array<ReturnType<ReturnType<typeof openDepot>['take']>> {
    open().put({ token: 't1', email: 'qa+1@x.io', mintedAt: 1 });
    open().put({ token: 't2', email: 'qa-2@x.io', mintedAt: 2 });
    return [open().take((email) => email !== 'qa+1@x.io'), open().take(), open().take()];
  }
  /** A fresh shared folder for `use`, removed afterwards. */
  function inDepotDir(use: (dir: string) => void): void {
    const dir = createDepotDir();
    try {
      use(dir);
    } finally {
      removeDepotDir(dir);
    }
  }
  const TAKEN = [{ token: 't2', email: 'qa-2@x.io', mintedAt: 2 }, { token: 't1', email: 'qa+1@x.io', mintedAt: 1 }, undefined];

  test('in a shared folder, private to this user: a token is taken once, oldest first, filtered by address, through any handle', () => {
    inDepotDir((dir) => {
      expect(statSync(dir).mode & 0o077).toBe(0);
      expect(takeTurns(() => openDepot(dir))).toEqual(TAKEN);
    });
  });

  test('in memory (no shared folder): the same, through the one handle', () => {
    const memory = openDepot(undefined);
    expect(takeTurns(() => memory)).toEqual(TAKEN);
  });

  test('a token still being written is never taken (it is written aside, then renamed)', () => {
    inDepotDir((dir) => {
      writeFileSync(join(dir, '.000000000000001-x-61406240782e696f.0.partial'), '');
      expect(openDepot(dir).take()).toBeUndefined();
    });
  });
});
