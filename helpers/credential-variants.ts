/**
 * The credentials rule 3 says a server must refuse, as one table: the malformed-token tests send
 * each to every token operation, and the rule 4 sweep sends them all again looking for 5xx/echoes.
 */
import { randomString, signedWithAnotherKey, tamperSignature, unsignedCopy } from './forged-tokens';
import { NO_AUTHORIZATION, type Authorization } from './transak-api';

export interface CredentialVariant {
  title: string;
  /** Builds the credential; only the variants derived from a real token ask for a live one. */
  build: (liveToken: () => Promise<string>) => Promise<Authorization>;
}

export const REFUSED_CREDENTIALS: readonly CredentialVariant[] = [
  { title: 'a request without an authorization header', build: async () => NO_AUTHORIZATION },
  { title: 'an empty authorization header', build: async () => '' },
  { title: 'a random string as token', build: async () => randomString() },
  { title: 'a live token with a tampered signature', build: async (live) => tamperSignature(await live()) },
  { title: 'an unsigned (alg: none) copy of a live token', build: async (live) => unsignedCopy(await live()) },
  { title: 'a live token re-signed with another key', build: async (live) => signedWithAnotherKey(await live()) },
];
