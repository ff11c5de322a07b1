/**
 * Finds raw secrets in a run's artifacts, also where a reader's eye does not go: base64 (Allure's
 * single file keeps every file so; Playwright's HTML report embeds a base64 zip whose entries hold
 * attachments as base64 again), zip and gzip, decoded recursively. A secret is a value the run was
 * given or the emulator issued, or anything shaped like a JWT: the redactor masks every JWT it
 * sees, so an unmasked one is always a leak.
 */
import AdmZip from 'adm-zip';
import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isZip } from '../../scripts/redact-addresses';
import { cleanEnv, copyProject } from '../../scripts/scratch-run';

/**
 * A JWT's JSON header and JSON payload, signed or cut short: the payload alone carries the partner
 * API key and the user's email. The masked form (`eyJhbG…[redacted, n chars]`) is not one.
 */
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*)?/g;
/** A fresh signed JWT whose payload names a planted user, to plant where a leak would be. */
export const plantedJwt = () =>
  `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwbGFudGVkQHFhLnRlc3QiLCJqdGkiOiI${randomBytes(6).toString('hex')}In0.${randomBytes(32).toString('base64url')}`;
/** Base64 runs worth decoding (standard or URL alphabet); shorter ones cannot hide a token. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const MAX_DEPTH = 4;

type Secret = { kind: string; value: string };

/** A copy of the project for a scratch run, a random API key and OTP for suite and emulator alike, and a file the emulator lists every token it issues in. */
export function secretProject(cacheDir: string, label: string) {
  const dir = join(cacheDir, 'project');
  copyProject(dir);
  const secretsFile = join(cacheDir, 'issued-secrets.txt');
  writeFileSync(secretsFile, '');
  const apiKey = `qa-${label}-check-${randomBytes(12).toString('hex')}`;
  const otp = String(randomInt(10_000_000, 100_000_000));
  return {
    dir,
    /** The suite's environment for a scratch run: clean (no developer .env), uncoloured, with these secrets. */
    suiteEnv: { ...cleanEnv(), FORCE_COLOR: '0', TRANSAK_ENV_FILE: join(cacheDir, 'no.env'), TRANSAK_API_KEY: apiKey, TRANSAK_OTP: otp },
    emulatorEnv: { EMULATOR_API_KEY: apiKey, EMULATOR_OTP: otp, EMULATOR_SECRETS_FILE: secretsFile },
    /** Every secret given or issued so far, by kind. */
    all(): Secret[] {
      const issued = readFileSync(secretsFile, 'utf8').split('\n').filter(Boolean);
      const kind = (value: string) =>
        value === apiKey ? 'API key' : value === otp ? 'OTP' : value.startsWith('eyJ') ? 'access token' : 'state token';
      return [apiKey, otp, ...issued].map((value) => ({ kind: kind(value), value }));
    },
  };
}

/**
 * Every file under `path` (or the file itself), by Node's own recursive listing: not the redactor's
 * walker, so a folder the redactor skipped is still scanned.
 */
function everyFile(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) return stat?.isFile() ? [path] : [];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}

export type Leak = {
  /** File, then each layer decoded to reach the text, e.g. `index.html › base64 › zip:abc.json`. */
  where: string;
  kind: string;
  /** The leaked value, shortened so the report of a leak is not itself a full leak. */
  sample: string;
};

const shorten = (value: string) => `${value.slice(0, value.length > 16 ? 8 : 2)}…(${value.length} chars)`;
const once = (leaks: Leak[]): Leak[] => [...new Map(leaks.map((l) => [`${l.where}|${l.kind}|${l.sample}`, l])).values()];

export function createScanner(secrets: Secret[]) {
  const unique = [...new Map(secrets.filter((s) => s.value.length >= 4).map((s) => [s.value, s])).values()];
  // Digits-only secrets (OTPs) match only as a whole number, not inside a longer one.
  const matchers = unique.map((s) => ({
    ...s,
    re: new RegExp(/^\d+$/.test(s.value) ? `(?<!\\d)${s.value}(?!\\d)` : s.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  }));

  const scanText = (text: string, where: string, depth: number): Leak[] => [
    ...matchers.filter((m) => m.re.test(text)).map((m) => ({ where, kind: m.kind, sample: shorten(m.value) })),
    ...(text.match(JWT_SHAPE) ?? []).map((jwt) => ({ where, kind: 'unredacted JWT', sample: shorten(jwt) })),
    ...(depth >= MAX_DEPTH ? [] : (text.match(BASE64_RUN) ?? [])).flatMap((run) => {
      const decoded = decodeBase64(run);
      return decoded ? scanBuffer(decoded, `${where} › base64`, depth + 1) : [];
    }),
  ];

  function scanBuffer(buffer: Buffer, where: string, depth: number): Leak[] {
    if (isZip(buffer))
      return new AdmZip(buffer)
        .getEntries()
        .flatMap((entry) => scanBuffer(entry.getData(), `${where} › zip:${entry.entryName}`, depth + 1));
    if (buffer[0] === 0x1f && buffer[1] === 0x8b) {
      try {
        return scanBuffer(gunzipSync(buffer), `${where} › gzip`, depth + 1);
      } catch {
        // not gzip after all: scan as text below
      }
    }
    return depth > 0 && !mostlyText(buffer) ? [] : scanText(buffer.toString('utf8'), where, depth);
  }

  return {
    /** Leaks in one buffer (a file's bytes, a planted sample). */
    scan: (buffer: Buffer | string, where = 'input'): Leak[] => once(scanBuffer(Buffer.from(buffer), where, 0)),
    /** Leaks in every file under each path (a file or a directory), and which files were read. */
    scanPaths(paths: string[], root: string): { files: string[]; leaks: Leak[] } {
      const files = paths.flatMap(everyFile).map((file) => relative(root, file));
      return { files, leaks: once(files.flatMap((file) => scanBuffer(readFileSync(join(root, file)), file, 0))) };
    },
  };
}

function decodeBase64(run: string): Buffer | undefined {
  const body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  // Node's base64 decoder reads the URL alphabet too.
  const decoded = Buffer.from(body, 'base64');
  return decoded.length >= 8 ? decoded : undefined;
}

/** Decoded base64 that is mostly printable is text (JSON, HTML); otherwise it was an identifier. */
function mostlyText(buffer: Buffer): boolean {
  const sample = [...buffer.subarray(0, 512)];
  const printable = sample.filter((byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127) || byte >= 0xc2);
  return printable.length / sample.length > 0.9;
}
