import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { expect, test } from '../fixtures';
import { extractAll, findDrift } from '../../scripts/extract-schemas';
import { createSchemaValidator } from '../../helpers/schema-validator';
import { ROOT } from '../../helpers/repo-paths';

const SCHEMA_DIR = join(ROOT, 'schemas');

test.describe('schema extraction', () => {
  test('the committed schemas match the OpenAPI sources', () => {
    expect(findDrift(join(ROOT, 'openapi'), SCHEMA_DIR)).toEqual([]);
  });

  test('one schema per documented JSON response, draft 2020-12, refs inlined, with an $id, and not tightened (no additionalProperties the source does not have)', () => {
    const schemas = extractAll(join(ROOT, 'openapi'));
    expect(schemas.map((s) => `${s.operationId}.${s.status}`)).toEqual(
      expect.arrayContaining(['logout-user.200', 'logout-user.400', 'logout-user.500', 'get-user-details.401', 'verify-user-otp.200']),
    );
    for (const { schema } of schemas) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toMatch(/^https:\/\/.+\.schema\.json$/);
      expect(JSON.stringify(schema)).not.toContain('$ref');
      expect(JSON.stringify(schema)).not.toContain('additionalProperties');
    }
  });

  test('drift is detected: a changed source, a hand-edited schema, a stale file, validators compiled from other schemas', ({}, testInfo) => {
    const [openapi, schemas] = [testInfo.outputPath('openapi'), testInfo.outputPath('schemas')];
    cpSync(join(ROOT, 'openapi'), openapi, { recursive: true });
    cpSync(SCHEMA_DIR, schemas, { recursive: true });
    const source = join(openapi, 'logout-user.openapi.yaml');
    writeFileSync(source, readFileSync(source, 'utf8').replace("'500':", "'503':"));
    writeFileSync(join(schemas, 'get-user-details.200.schema.json'), '{}\n');
    expect(findDrift(openapi, schemas)).toEqual([
      'get-user-details.200.schema.json: differs from the OpenAPI source (run npm run schemas)',
      'logout-user.503.schema.json: missing (run npm run schemas)',
      'logout-user.500.schema.json: no longer produced by any OpenAPI source (run npm run schemas)',
      'validators.cjs: not compiled from these schemas by this ajv (run npm run schemas)',
    ]);
  });

  test('validation failures name the instance path and the rule broken', () => {
    const validator = createSchemaValidator();
    expect(validator.problems('logout-user', 200, { data: { message: 7 } })).toEqual(['body/data/message must be string']);
    expect(validator.problems('logout-user', 400, { error: { statusCode: 400, message: 'x' } })).toEqual([
      "body/error must have required property 'name'",
    ]);
    expect(validator.problems('logout-user', 200, { data: { message: 'ok' }, extra: true })).toEqual([]);
    expect(validator.documentedStatuses('logout-user')).toEqual(['200', '400', '500']);
  });

  test('every extracted schema is valid against the 2020-12 meta-schema and compiles under strict mode, into the validator of its operation and status', () => {
    const validator = createSchemaValidator();
    const metaSchema = new Ajv2020({ strict: true });
    addFormats(metaSchema);
    const files = readdirSync(SCHEMA_DIR).filter((file) => file.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const key = /^(.+)\.(\d{3})\.schema\.json$/.exec(file);
      expect(key, 'a file in schemas/ named <operation>.<status>.schema.json').not.toBeNull();
      expect(
        metaSchema.validateSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'))),
        `${file}: ${metaSchema.errorsText()}`,
      ).toBe(true);
      expect(() => validator.problems(key![1], key![2], null)).not.toThrow();
    }
  });
});
