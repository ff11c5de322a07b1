import { test } from '../helpers/fixtures';
import { randomString, signedWithAnotherKey, tamperSignature, unsignedCopy } from '../helpers/forged-tokens';
import { NO_AUTHORIZATION, type Authorization, type TokenOperation } from '../helpers/transak-api';
import { OPERATION_LABEL } from '../helpers/verdict-steps';
import { checkAcceptedOrRejected } from '../helpers/verdicts';

const OPERATIONS: TokenOperation[] = ['logout-user', 'get-user-details', 'refresh-user-access-token'];

interface Variant {
  title: string;
  /** Builds the credential; `live` is only minted for the variants that derive from a real token. */
  credential: (mintLive: () => Promise<string>) => Promise<Authorization>;
}

const VARIANTS: Variant[] = [
  { title: 'a request without an authorization header', credential: async () => NO_AUTHORIZATION },
  { title: 'an empty authorization header', credential: async () => '' },
  { title: 'a random string as token', credential: async () => randomString() },
  { title: 'a live token with a tampered signature', credential: async (live) => tamperSignature(await live()) },
  { title: 'an unsigned (alg: none) copy of a live token', credential: async (live) => unsignedCopy(await live()) },
  { title: 'a live token re-signed with another key', credential: async (live) => signedWithAnotherKey(await live()) },
];

test.describe('rule 3: credentials that are not a live token are rejected', () => {
  for (const variant of VARIANTS) {
    test(`R3 logout rejects ${variant.title}, and so do Get User Details and Refresh`, async ({ mintToken, verdict, log }) => {
      const credential = await test.step(`build ${variant.title}`, () => variant.credential(async () => (await mintToken()).token));
      if (typeof credential === 'string') log.redactor.add(credential);
      for (const operation of OPERATIONS) {
        await verdict.rejectedBy(operation, credential, `${OPERATION_LABEL[operation]} rejects ${variant.title}`);
      }
    });
  }

  test('R3 a Bearer-prefixed live token is accepted or rejected by logout, never answered with a 5xx', async ({ freshToken, api, verdict, validator }) => {
    const ex = await test.step('log out with "Bearer <token>"', () => api.logout(`Bearer ${freshToken.token}`));
    await test.step('the answer is a 200 logout or a well-formed rejection, not a 5xx', () => {
      verdict.expectNone(checkAcceptedOrRejected(ex, validator), 'rule 3: a Bearer prefix may be tolerated or refused, never a 5xx');
    });
  });
});
