/**
 * Credentials a correct server must refuse (rule 3), derived from a live token so that only the
 * property under test is wrong: same claims, broken signature; same claims, no signature; same
 * claims, signed with a key the server does not hold.
 */
import { randomBytes } from 'node:crypto';

/**
 * jose loads when a token is first forged, not with every worker: the workers start at once on
 * two cores, and only rule 3's tests forge. A require, as for the IMAP libraries (otp/providers.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jose = (): typeof import('jose') => require('jose') as typeof import('jose');

/** Changes one character in the middle of the signature: the last one may only carry padding bits. */
export function tamperSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  if (!signature || signature.length < 8) throw new Error('tamperSignature needs a signed JWT (three segments, a signature)');
  const i = Math.floor(signature.length / 2);
  const swapped = signature[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, i)}${swapped}${signature.slice(i + 1)}`;
}

/** The same claims with `alg: none` and an empty signature. */
export function unsignedCopy(token: string): string {
  const { decodeJwt, UnsecuredJWT } = jose();
  return new UnsecuredJWT(decodeJwt(token)).encode();
}

/** The same claims, HS256-signed with a random key the server has never seen. */
export async function signedWithAnotherKey(token: string): Promise<string> {
  const { decodeJwt, SignJWT } = jose();
  return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(randomBytes(32));
}

/** A random string shaped like no token at all. */
export function randomString(): string {
  return randomBytes(24).toString('hex');
}
