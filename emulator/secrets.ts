import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time string comparison; hashing first makes unequal lengths safe to compare too. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
