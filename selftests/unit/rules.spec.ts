/**
 * The rule table (helpers/rules.ts) is the one place a verdict rule is written: the README's rule
 * table, the contract notes and the specs' tags are checked against it here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { RULE_IDS, RULES, ruleOfTags, ruleTag } from '../../helpers/rules';
import { ROOT } from '../../helpers/repo-paths';

test('the README lists every rule with the title the table gives it and the spec file that judges it, and no other', () => {
  const rows = readFileSync(join(ROOT, 'README.md'), 'utf8')
    .split('\n')
    .map((line) => /^\|\s*(R\d)\s*\|\s*([^|]+?)\s*\|\s*`(tests\/[\w-]+\.spec\.ts)`\s*\|/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  expect(rows.map((m) => [m[1], m[2]])).toEqual(RULE_IDS.map((id) => [id, RULES[id].title]));
  for (const [, id, , file] of rows) {
    expect(existsSync(join(ROOT, file)), `${id}: ${file} exists`).toBe(true);
    expect(readFileSync(join(ROOT, file), 'utf8'), `${id}: ${file} groups its tests under describeRule('${id}', …)`).toContain(
      `describeRule('${id}',`,
    );
  }
});

test('each rule points at its numbered item of the verdict rules in openapi/NOTES.md', () => {
  const notes = readFileSync(join(ROOT, 'openapi', 'NOTES.md'), 'utf8');
  const section = notes.slice(notes.indexOf('## What the suite holds a server to'));
  const items = [...section.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]));
  expect(RULE_IDS.map((id) => RULES[id].notesItem)).toEqual(items);
});

test('a tag names its rule, with or without the "@" (the JSON report drops it)', () => {
  expect(ruleTag('R4')).toBe('@R4');
  expect(ruleOfTags(['@R4'])).toBe('R4');
  expect(ruleOfTags(['R4'])).toBe('R4');
  expect(ruleOfTags(['@R44', 'smoke'])).toBeUndefined();
});

test('every spec groups its tests under a rule of the table (describeRule), and names none in a title', () => {
  for (const file of readdirSync(join(ROOT, 'tests')).filter((f) => f.endsWith('.spec.ts'))) {
    const text = readFileSync(join(ROOT, 'tests', file), 'utf8');
    expect(text, file).toMatch(/describeRule\('R[1-8]'/);
    expect(text, `${file}: a title that starts with its rule`).not.toMatch(/test\(\s*[`'"]R\d /);
  }
});
