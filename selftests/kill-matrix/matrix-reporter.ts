/**
 * A Playwright reporter for the self-tests: gathers the kill-matrix rows the matrix tests attach,
 * prints them as a table at the end of the run and writes them to reports/kill-matrix.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { ROOT } from '../../helpers/repo-paths';
import { MATRIX_ROW, type MatrixRow } from './matrix-row';

const OUT = join(ROOT, 'reports', 'kill-matrix.md');

const shortTitle = (title: string): string => (title.length > 70 ? `${title.slice(0, 67)}…` : title);

export function renderMatrix(rows: MatrixRow[]): string {
  const sorted = [...rows].sort((a, b) =>
    a.kind === b.kind ? a.rule.localeCompare(b.rule) || a.mode.localeCompare(b.mode) : a.kind === 'bug' ? -1 : 1,
  );
  const bugs = rows.filter((r) => r.kind === 'bug');
  const allowed = rows.filter((r) => r.kind === 'allowed');
  const caught = bugs.filter((r) => r.outcome === 'caught').length;
  const spared = allowed.filter((r) => r.outcome === 'passed').length;
  const lines = [
    '# Kill matrix',
    '',
    `Fault modes caught by their own rule's test: **${caught}/${bugs.length}** (${bugs.length ? Math.round((100 * caught) / bugs.length) : 0}%). ` +
      `Correct modes failed: **${allowed.length - spared}/${allowed.length}**.`,
    '',
    "| mode | kind | rule | outcome | caught by (the rule's failing tests) | other rules red | other failures | tests |",
    '|---|---|---|---|---|---|---|---|',
    ...sorted.map(
      (r) =>
        `| ${r.mode} | ${r.kind} | ${r.rule} | ${r.outcome} | ${r.caughtBy.map(shortTitle).join('<br>') || '—'} | ${r.otherRules?.join(', ') || '—'} | ${r.alsoFailed.length || '—'} | ${r.tests} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

export default class MatrixReporter implements Reporter {
  private rows: MatrixRow[] = [];

  onTestEnd(_test: TestCase, result: TestResult): void {
    for (const attachment of result.attachments) {
      if (attachment.name === MATRIX_ROW && attachment.body) this.rows.push(JSON.parse(attachment.body.toString()) as MatrixRow);
    }
  }

  onEnd(): void {
    if (this.rows.length === 0) return;
    const markdown = renderMatrix(this.rows);
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, markdown);
    console.log(`\n${markdown}\nkill matrix written to reports/kill-matrix.md`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
