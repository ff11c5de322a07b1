import { expect, test } from '../fixtures';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { randomString, signedWithAnotherKey, tamperSignature, unsignedCopy } from '../../helpers/forged-tokens';

const claims = { sub: 'qa@x.io', jti: 'j-1' };
let live = '';

test.beforeAll(async () => {
  live = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32).fill(7));
});

test.describe('forged credentials', () => {
  test('a tampered token differs only in the signature, in a character that carries data', () => {
    const tampered = tamperSignature(live);
    expect(tampered).not.toBe(live);
    expect(tampered.split('.').slice(0, 2)).toEqual(live.split('.').slice(0, 2));
    const [a, b] = [live, tampered].map((t) => Buffer.from(t.split('.')[2], 'base64url').toString('hex'));
    expect(a).not.toBe(b);
  });

  test('the unsigned copy has alg none, the same claims and no signature', () => {
    const unsigned = unsignedCopy(live);
    expect(decodeProtectedHeader(unsigned).alg).toBe('none');
    expect(decodeJwt(unsigned)).toMatchObject(claims);
    expect(unsigned.endsWith('.')).toBe(true);
  });

  test('the re-signed copy keeps the claims and changes the signature', async () => {
    const other = await signedWithAnotherKey(live);
    expect(decodeJwt(other)).toMatchObject(claims);
    expect(other.split('.')[2]).not.toBe(live.split('.')[2]);
  });

  test('random strings are not JWTs and do not repeat', () => {
    expect(randomString()).not.toBe(randomString());
    expect(randomString()).not.toContain('.');
  });
});
