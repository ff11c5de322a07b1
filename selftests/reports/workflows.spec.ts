/**
 * The CI workflows, checked without running them: they parse, every `npm run X` they call exists,
 * secrets reach them only as `${{ secrets.X }}` (no literal that looks like a key, token, OTP or
 * credentialed URL), and each has the shape its job needs (nightly: schedule, history cache,
 * shards merged; release gate: workflow_call, no retries, JUnit published).
 */
import { expect, test } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './main-job';

const WORKFLOWS = join(ROOT, '.github', 'workflows');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

type Yaml = Record<string, unknown>;
interface Workflow {
  file: string;
  text: string;
  doc: Yaml;
}

function workflows(): Workflow[] {
  return readdirSync(WORKFLOWS)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((file) => {
      const text = readFileSync(join(WORKFLOWS, file), 'utf8');
      return { file, text, doc: parse(text) as Yaml };
    });
}

/** Every [key, value] pair of string values, with the key path, e.g. ['jobs.gate.env.TRANSAK_API_KEY', '${{ … }}']. */
function strings(node: unknown, path = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node]];
  if (Array.isArray(node)) return node.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (node !== null && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

/** Strings that would be a secret if written out: a JWT, an OTP, a long key-like token, a URL with a password. */
function looksLikeSecretLiteral(value: string): string | undefined {
  const literal = value.replace(/\$\{\{[^}]*\}\}/g, '');
  if (/eyJ[\w-]{4,}\.eyJ[\w-]{2,}/.test(literal)) return 'a JWT';
  if (/^\s*\d{4,8}\s*$/.test(literal)) return 'an OTP-like number';
  if (/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(literal)) return 'a URL with a password';
  if (/(?<![\w/.-])[A-Za-z0-9_-]{32,}(?![\w/.-])/.test(literal) && !/^[a-z0-9-]+$/.test(literal.trim())) return 'a long key-like token';
  return undefined;
}

const SECRET_NAMED = /KEY|TOKEN|OTP|PASSWORD|SECRET|EMAILS|IMAP/;

test('the workflow files parse as YAML, and every npm script they run exists in package.json', () => {
  const found = workflows();
  expect(found.map((w) => w.file).sort()).toEqual(expect.arrayContaining(['nightly.yml', 'release-gate.yml']));
  for (const { file, text, doc } of found) {
    expect(doc.jobs, `${file} has jobs`).toBeTruthy();
    for (const [, name] of text.matchAll(/npm run ([\w:.-]+)/g)) expect(Object.keys(scripts), `${file}: npm run ${name}`).toContain(name);
    for (const config of text.match(/-c ([\w./-]+\.ts)/g) ?? []) expect(existsSync(join(ROOT, config.slice(3))), `${file}: ${config}`).toBe(true);
  }
});

test('secrets reach the workflows only as ${{ secrets.X }}: no literal key, token, OTP or credentialed URL', () => {
  for (const { file, doc } of workflows()) {
    const declared = Object.keys(((doc.on as Yaml | undefined)?.workflow_call as Yaml | undefined)?.secrets ?? {});
    for (const [path, value] of strings(doc)) {
      expect(looksLikeSecretLiteral(value), `${file} ${path} holds a literal secret`).toBeUndefined();
      const name = path.split('.').pop() ?? '';
      if (/\.env\.[A-Z_]+$/.test(path) && SECRET_NAMED.test(name)) {
        expect(value, `${file} ${path}: a secret-named variable comes from secrets`).toMatch(/^\$\{\{\s*secrets\.[A-Z_]+\s*\}\}$/);
      }
      for (const [, secret] of value.matchAll(/secrets\.([A-Za-z_]+)/g)) {
        if (declared.length) expect(declared, `${file}: secrets.${secret} is declared under workflow_call.secrets`).toContain(secret);
      }
    }
  }
  // The checker itself: each kind of literal it must refuse.
  expect(looksLikeSecretLiteral('123456')).toBe('an OTP-like number');
  expect(looksLikeSecretLiteral('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe('a JWT');
  expect(looksLikeSecretLiteral('imaps://qa:hunter2@imap.example.com/INBOX')).toBe('a URL with a password');
  expect(looksLikeSecretLiteral('pk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toBe('a long key-like token');
  expect(looksLikeSecretLiteral('${{ secrets.TRANSAK_API_KEY }}')).toBeUndefined();
  expect(looksLikeSecretLiteral('https://api-gateway-stg.transak.com')).toBeUndefined();
});

test('the release gate is a reusable workflow without retries that publishes its JUnit file', () => {
  const gate = workflows().find((w) => w.file === 'release-gate.yml')!;
  const on = gate.doc.on as Yaml;
  expect(Object.keys(on), 'on: workflow_call').toContain('workflow_call');
  expect(Object.keys((on.workflow_call as Yaml).secrets as Yaml)).toEqual(expect.arrayContaining(['TRANSAK_API_KEY', 'TRANSAK_EMAILS']));
  expect(gate.text).toMatch(/npm run test:api -- --retries=0/);
  expect(gate.text).not.toMatch(/playwright\.nightly\.config/);
  expect(gate.text).toMatch(/report_paths: reports\/junit\.xml/);
});

test('the nightly runs on a schedule, shards with blob reports, merges them, and keeps the Allure history in a cache', () => {
  const nightly = workflows().find((w) => w.file === 'nightly.yml')!;
  const on = nightly.doc.on as Yaml;
  expect(Object.keys(on)).toEqual(expect.arrayContaining(['schedule', 'workflow_dispatch']));
  expect(nightly.text).toMatch(/node-version: 20/);
  expect(nightly.text).toMatch(/npm ci/);
  expect(nightly.text).toMatch(/-c playwright\.nightly\.config\.ts/);
  const shards = ((nightly.doc.jobs as Yaml).test as Yaml).strategy as { matrix: { shard: number[] } };
  expect(nightly.text, 'each shard runs its share of N').toContain(`--shard=\${{ matrix.shard }}/${shards.matrix.shard.length}`);
  expect(nightly.text).toMatch(/PW_BLOB: '1'/);
  expect(nightly.text).toMatch(/playwright merge-reports --reporter=html,junit \.\/all-blob-reports/);
  expect(nightly.text).toMatch(/actions\/cache\/restore@v\d[\s\S]*path: allure-history[\s\S]*actions\/cache\/save@v\d/);
  expect(nightly.text).toMatch(/TRANSAK_BASE_URL: .*https:\/\/api-gateway-stg\.transak\.com/);
  const config = readFileSync(join(ROOT, 'playwright.nightly.config.ts'), 'utf8');
  expect(config, 'the nightly config allows one retry').toMatch(/retries:\s*1\b/);
});

test('CI installs the browser the report check drives, and the report outputs stay out of git', () => {
  const testScript = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.test;
  expect(testScript, 'npm test (which .ci/run runs) installs Debian’s chromium when missing').toMatch(/^tsx scripts\/system-deps-install\.ts && /);
  const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n').map((l) => l.trim());
  expect(ignored).toEqual(expect.arrayContaining(['allure-results/', 'allure-history/', '/reports/']));
  expect(ignored, 'a bare reports/ would also hide selftests/reports/').not.toContain('reports/');
});
