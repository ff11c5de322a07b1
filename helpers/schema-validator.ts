/**
 * The one place that owns Ajv: every extracted schema compiled once (keyed by its $id), and ajv's
 * own error text turned into one line per broken rule, naming the instance path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROOT } from './repo-paths';

export type SchemaValidator = ReturnType<typeof createSchemaValidator>;

export function createSchemaValidator() {
  const schemaDir = join(ROOT, 'schemas');
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<string, ValidateFunction>();
  for (const file of readdirSync(schemaDir)
    .filter((name) => name.endsWith('.schema.json'))
    .sort()) {
    compiled.set(file.replace(/\.schema\.json$/, ''), ajv.compile(JSON.parse(readFileSync(join(schemaDir, file), 'utf8'))));
  }
  return {
    /** Statuses the OpenAPI sources document a JSON body for, e.g. ['200', '400', '500']. */
    documentedStatuses(operationId: string): string[] {
      return [...compiled.keys()].filter((key) => key.startsWith(`${operationId}.`)).map((key) => key.slice(operationId.length + 1));
    },
    /** Problems with `body` against the documented schema, one line each; [] when it conforms. */
    problems(operationId: string, status: number | string, body: unknown): string[] {
      const validate = compiled.get(`${operationId}.${status}`);
      if (!validate) throw new Error(`no schema for ${operationId} ${status}: the OpenAPI sources document no JSON body for it`);
      if (validate(body)) return [];
      return ajv.errorsText(validate.errors, { dataVar: 'body', separator: '\n' }).split('\n');
    },
  };
}
