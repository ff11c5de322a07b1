/**
 * The kept fingerprints: one JSON line per run in allure-history/fingerprints.jsonl, beside the
 * Allure trend, so whatever keeps that folder between nights (the allure-history branch, CI's cache)
 * keeps these too. Each line carries the run it came from (a hash of its result files): recording
 * the same results again replaces nothing and compares with the run before, not with itself.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Fingerprint } from './fingerprint-build';

/** As many nights as the Allure trend keeps (allurerc.mjs, historyLimit). */
export const KEPT_RUNS = 60;

export interface KeptRun {
  run: string;
  fingerprint: Fingerprint;
}

export function readKept(file: string): KeptRun[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        const kept = JSON.parse(line) as KeptRun;
        return typeof kept.run === 'string' && kept.fingerprint?.answers ? [kept] : [];
      } catch {
        // A torn last line (a job killed mid-write) costs one night, not the record.
        return [];
      }
    });
}

/** The runs as kept after this one: this run last, once; at most KEPT_RUNS. */
export function keep(kept: readonly KeptRun[], current: KeptRun): KeptRun[] {
  return [...kept.filter((k) => k.run !== current.run), current].slice(-KEPT_RUNS);
}

/** The latest kept run that is not this one. */
export function previousOf(kept: readonly KeptRun[], run: string): KeptRun | undefined {
  return kept.filter((k) => k.run !== run).at(-1);
}

export function writeKept(file: string, kept: readonly KeptRun[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, kept.map((k) => JSON.stringify(k)).join('\n') + '\n');
}
