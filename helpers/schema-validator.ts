/**
 * The one place that owns Ajv: each extracted schema compiled once, on its first use (a worker
 * that checks two answers compiles two of the seventeen), and ajv's own error text turned into one
 * line per broken rule, naming the instance path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROOT } from './repo-paths';

export const SCHEMA_DIR = join(ROOT, 'schemas');

export type SchemaValidator = ReturnType<typeof createSchemaValidator>;

export function createSchemaValidator() {
  // The schemas are checked against the JSON Schema meta-schema where they are made (the extraction's
  // self-test); compiling that meta-schema again in every worker would cost each one 90 ms.
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateSchema: false });
  addFormats(ajv);
  const files = new Map(
    readdirSync(SCHEMA_DIR)
      .filter((name) => name.endsWith('.schema.json'))
      .sort()
      .map((name) => [name.replace(/\.schema\.json$/, ''), join(SCHEMA_DIR, name)]),
  );
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (key: string): ValidateFunction | undefined => {
    const file = files.get(key);
    if (file === undefined) return undefined;
    if (!compiled.has(key)) compiled.set(key, ajv.compile(JSON.parse(readFileSync(file, 'utf8'))));
    return compiled.get(key);
  };
  return {
    /** Statuses the OpenAPI sources document a JSON body for, e.g. ['200', '400', '500']. */
    documentedStatuses(operationId: string): string[] {
      return [...files.keys()].filter((key) => key.startsWith(`${operationId}.`)).map((key) => key.slice(operationId.length + 1));
    },
    /** Problems with `body` against the documented schema, one line each; [] when it conforms. */
    problems(operationId: string, status: number | string, body: unknown): string[] {
      const validate = validatorOf(`${operationId}.${status}`);
      if (!validate) throw new Error(`no schema for ${operationId} ${status}: the OpenAPI sources document no JSON body for it`);
      if (validate(body)) return [];
      return ajv.errorsText(validate.errors, { dataVar: 'body', separator: '\n' }).split('\n');
    },
  };
}
