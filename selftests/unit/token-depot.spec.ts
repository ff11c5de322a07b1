import { expect, test as base } from '../fixtures';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDepotDir, openDepot, removeDepotDir } from '../../helpers/token-depot';

/** A fresh shared folder, removed afterwards. */
const test = base.extend<{ depotDir: string }>({
  depotDir: async ({}, use) => {
    const dir = createDepotDir();
    await use(dir);
    removeDepotDir(dir);
  },
});

test.describe('the token depot (tokens handed on between tests)', () => {
  /** Puts two tokens in, then takes them out through `open()` handles, as workers would. */
  function takeTurns(open: () => ReturnType<typeof openDepot>): Array<ReturnType<ReturnType<typeof openDepot>['take']>> {
    open().put({ token: 't1', email: 'qa+1@x.io', mintedAt: 1 });
    open().put({ token: 't2', email: 'qa-2@x.io', mintedAt: 2 });
    return [open().take((email) => email !== 'qa+1@x.io'), open().take(), open().take()];
  }
  const TAKEN = [{ token: 't2', email: 'qa-2@x.io', mintedAt: 2 }, { token: 't1', email: 'qa+1@x.io', mintedAt: 1 }, undefined];

  test('in a shared folder, private to this user: a token is taken once, oldest first, filtered by address, through any handle', ({
    depotDir,
  }) => {
    expect(statSync(depotDir).mode & 0o077).toBe(0);
    expect(takeTurns(() => openDepot(depotDir))).toEqual(TAKEN);
  });

  test('in memory (no shared folder): the same, through the one handle', () => {
    const memory = openDepot(undefined);
    expect(takeTurns(() => memory)).toEqual(TAKEN);
  });

  test('a token still being written is never taken (it is written aside, then renamed)', ({ depotDir }) => {
    writeFileSync(join(depotDir, '.000000000000001-x-61406240782e696f.0.partial'), '');
    expect(openDepot(depotDir).take()).toBeUndefined();
  });
});
