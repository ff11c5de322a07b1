import { expect, test } from '@playwright/test';
import { statSync } from 'node:fs';
import { createDepotDir, openDepot, removeDepotDir } from '../../helpers/token-depot';

test.describe('the token depot (tokens handed on between tests)', () => {
  for (const where of ['a shared folder', 'memory'] as const) {
    test(`in ${where}: a token is taken once, oldest first, filtered by address`, async () => {
      const dir = where === 'memory' ? undefined : createDepotDir();
      try {
        const memory = openDepot(undefined);
        // Workers share a folder through separate handles; in memory there is only one handle.
        const open = () => (dir === undefined ? memory : openDepot(dir));
        open().put({ token: 't1', email: 'qa+1@x.io' });
        open().put({ token: 't2', email: 'qa-2@x.io' });
        expect(open().take((email) => email !== 'qa+1@x.io')).toEqual({ token: 't2', email: 'qa-2@x.io' });
        expect(open().take()).toEqual({ token: 't1', email: 'qa+1@x.io' });
        expect(open().take()).toBeUndefined();
      } finally {
        if (dir) removeDepotDir(dir);
      }
    });
  }

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
