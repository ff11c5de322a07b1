/**
 * The one place that reads the extracted schemas at run time: their validate functions, compiled
 * once by `npm run schemas` (schemas/validators.cjs), and ajv's own error text turned into one line
 * per broken rule, naming the instance path.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';

/** Written beside the schemas by scripts/extract-schemas.ts, which keeps it in step with them. */
export const VALIDATORS_FILE = 'validators.cjs';

export type SchemaValidator = ReturnType<typeof createSchemaValidator>;

// Requires, as in forged-tokens.ts: the compiled module is CommonJS, and ajv itself loads only to
// word a failure.
/* eslint-disable @typescript-eslint/no-require-imports */
const validators = (): Record<string, ValidateFunction> => require(`../schemas/${VALIDATORS_FILE}`) as Record<string, ValidateFunction>;
const errorsText = (errors: ErrorObject[] | null | undefined): string =>
  new (require('ajv/dist/2020') as typeof import('ajv/dist/2020')).default({ validateSchema: false }).errorsText(errors, {
    dataVar: 'body',
    separator: '\n',
  });
/* eslint-enable @typescript-eslint/no-require-imports */

export function createSchemaValidator() {
  const compiled = validators();
  return {
    /** Statuses the OpenAPI sources document a JSON body for, e.g. ['200', '400', '500']. */
    documentedStatuses(operationId: string): string[] {
      return Object.keys(compiled)
        .filter((key) => key.startsWith(`${operationId}.`))
        .map((key) => key.slice(operationId.length + 1));
    },
    /** Problems with `body` against the documented schema, one line each; [] when it conforms. */
    problems(operationId: string, status: number | string, body: unknown): string[] {
      const validate = compiled[`${operationId}.${status}`];
      if (!validate) throw new Error(`no schema for ${operationId} ${status}: the OpenAPI sources document no JSON body for it`);
      if (validate(body)) return [];
      return errorsText(validate.errors).split('\n');
    },
  };
}
