/**
 * Reads the numbers each report shows, from the files a reader opens: Playwright's HTML report
 * (its data is a base64 zip inside index.html), JUnit, Playwright's JSON, the single-file Allure
 * report (each of its files is embedded as `d("<path>","<base64>")`) and the job summary's table.
 */
import { chromium, type Page } from '@playwright/test';
import AdmZip from 'adm-zip';
import { readFileSync } from 'node:fs';
import { CHROMIUM, isExecutable, missingLine } from '../../scripts/system-deps';
import { expect, test as base } from '../fixtures';

export { expect };

/** Debian's chromium, headless in a container (no sandbox, no GPU), making no request of its own. */
const QUIET = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', ...QUIET];

/** `reportPage`: a page of that Chromium, to open a report as a reader does. */
export const test = base.extend<{ reportPage: Page }>({
  reportPage: async ({}, use) => {
    expect(isExecutable(CHROMIUM.path()), missingLine(CHROMIUM)).toBe(true);
    const browser = await chromium.launch({ executablePath: CHROMIUM.path(), args: CHROMIUM_ARGS });
    await use(await browser.newPage({ viewport: { width: 1400, height: 1200 } }));
    await browser.close();
  },
});

type PlaywrightStats = Record<'total' | 'expected' | 'unexpected' | 'flaky' | 'skipped', number>;

export function playwrightHtmlStats(indexHtml: string): PlaywrightStats {
  const html = readFileSync(indexHtml, 'utf8');
  const zip = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(html)?.[1];
  if (zip === undefined) throw new Error(`${indexHtml} embeds no report zip`);
  const entry = new AdmZip(Buffer.from(zip, 'base64')).getEntry('report.json');
  if (entry === null) throw new Error(`${indexHtml}: its zip has no report.json`);
  return (JSON.parse(entry.getData().toString('utf8')) as { stats: PlaywrightStats }).stats;
}

/** The value of a metadata entry on the Allure report's overview. */
export const allureMetadata = (page: Page, key: string) =>
  page
    .getByTestId('metadata-item')
    .filter({ has: page.getByTestId('metadata-item-key').getByText(key, { exact: true }) })
    .getByTestId('metadata-item-value');

/** The counts of JUnit's <testsuites> element; NaN each where there is none (a run that wrote no JUnit). */
export function readJunitCounts(xml: string) {
  const element = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  const count = (name: string): number => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(element)?.[1] ?? NaN);
  return { tests: count('tests'), failures: count('failures'), skipped: count('skipped'), errors: count('errors') };
}

/** Every file the single-file Allure report embeds, by its path in the report (`widgets/statistic.json`). */
export function allureEmbeddedFiles(indexHtml: string): Map<string, string> {
  const embedded = readFileSync(indexHtml, 'utf8').matchAll(/\bd\("([^"]+)","([A-Za-z0-9+/=]*)"\)/g);
  return new Map([...embedded].map(([, path, data]) => [path, Buffer.from(data, 'base64').toString('utf8')]));
}

export function allureJson<T>(files: Map<string, string>, path: string): T {
  const text = files.get(path);
  if (text === undefined) throw new Error(`the Allure report embeds no ${path}`);
  return JSON.parse(text) as T;
}

/** The counts row of the job summary's table: Total, Passed, Failed, Flaky, Skipped. */
export function summaryCounts(markdown: string) {
  const row = /\| Total \| Passed \| Failed \| Flaky \| Skipped \|\n\|[-:| ]+\|\n\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|/.exec(
    markdown,
  );
  if (row === null) throw new Error(`the job summary has no counts table:\n${markdown.slice(0, 500)}`);
  const [total, passed, failed, flaky, skipped] = row.slice(1).map(Number);
  return { total, passed, failed, flaky, skipped };
}
