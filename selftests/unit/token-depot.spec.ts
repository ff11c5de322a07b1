import { expect, test } from '@playwright/test';
import { statSync } from 'node:fs';
import { createDepotDir, openDepot, removeDepotDir } from '../../helpers/token-depot';

test.describe('the token depot (tokens handed on between tests)', () => {
  /** Puts two tokens in, then takes them out through `open()` handles, as workers would. */
  function takeTurns(open: () => ReturnType<typeof openDepot>): Array<ReturnType<ReturnType<typeof openDepot>['take']>> {
    open().put({ token: 't1', email: 'qa+1@x.io' });
    open().put({ token: 't2', email: 'qa-2@x.io' });
    return [open().take((email) => email !== 'qa+1@x.io'), open().take(), open().take()];
  }
  const TAKEN = [{ token: 't2', email: 'qa-2@x.io' }, { token: 't1', email: 'qa+1@x.io' }, undefined];

  test('in a shared folder: a token is taken once, oldest first, filtered by address, through any handle', () => {
    const dir = createDepotDir();
    try {
      expect(takeTurns(() => openDepot(dir))).toEqual(TAKEN);
    } finally {
      removeDepotDir(dir);
    }
  });

  test('in memory (no shared folder): the same, through the one handle', () => {
    const memory = openDepot(undefined);
    expect(takeTurns(() => memory)).toEqual(TAKEN);
  });

  test('the folder is private to this user', () => {
    const dir = createDepotDir();
    try {
      expect(statSync(dir).mode & 0o077).toBe(0);
    } finally {
      removeDepotDir(dir);
    }
  });

  test('two takers racing for one token: exactly one gets it', async () => {
    const dir = createDepotDir();
    try {
      openDepot(dir).put({ token: 'only', email: 'a@x.io' });
      const got = [openDepot(dir).take(), openDepot(dir).take()].filter(Boolean);
      expect(got).toEqual([{ token: 'only', email: 'a@x.io' }]);
    } finally {
      removeDepotDir(dir);
    }
  });
});
