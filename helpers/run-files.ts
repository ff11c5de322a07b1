/**
 * The one way the processes of a run share state on disk: the OTP ledger, the login stops, the
 * token depot, the findings for the run-level verdict and the probes' live controls are each a
 * folder of small files under the run's output folder (or, for tokens, a private temp folder).
 * Every write lands whole (written aside, then renamed), so a reader in another worker never sees
 * half a file; `claim` hands a file to exactly one taker; `putFirst` keeps the first writer's value.
 * Playwright empties the output folder at the start of every run, and keeps it across retries.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunFiles {
  /** Writes `name` whole, replacing it. */
  put(name: string, value: string): void;
  /** Writes `name` unless it exists: the first writer wins. */
  putFirst(name: string, value: string): void;
  get(name: string): string | undefined;
  /** The names present, oldest first when names start with their time. */
  names(): string[];
  /** Takes `name` for this caller alone (removed for everyone else); undefined if another took it first. */
  claim(name: string): string | undefined;
}

/** A file name for a key that must not appear in a file name (an address). */
export const keyName = (key: string): string => createHash('sha256').update(key.toLowerCase()).digest('hex').slice(0, 16);

export function runFiles(dir: string, mode = 0o644): RunFiles {
  const ensure = (): void => void mkdirSync(dir, { recursive: true, mode: mode === 0o600 ? 0o700 : 0o755 });
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  return {
    put(name, value) {
      ensure();
      const aside = join(dir, `.${name}.${randomUUID()}.partial`);
      writeFileSync(aside, value, { mode });
      renameSync(aside, join(dir, name));
    },
    putFirst(name, value) {
      ensure();
      try {
        writeFileSync(join(dir, name), value, { flag: 'wx', mode });
      } catch {
        // Another process was first: its value stands.
      }
    },
    get: (name) => read(join(dir, name)),
    names() {
      try {
        return readdirSync(dir)
          .filter((n) => !n.startsWith('.'))
          .sort();
      } catch {
        return [];
      }
    },
    claim(name) {
      const claimed = join(dir, `.${name}.claimed-${randomUUID()}`);
      try {
        renameSync(join(dir, name), claimed);
      } catch {
        return undefined;
      }
      const value = read(claimed);
      unlinkSync(claimed);
      return value;
    },
  };
}
