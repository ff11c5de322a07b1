/**
 * Extracts one JSON Schema (draft 2020-12, refs inlined, with an $id) per documented JSON response
 * of each operation in openapi/*.yaml, into schemas/, and compiles them all, once, into
 * schemas/validators.cjs (ajv's standalone code). With --check it writes nothing and exits 1
 * when the committed files differ from what the OpenAPI sources produce (drift).
 */
import { readFileSync, readdirSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { ROOT } from '../helpers/repo-paths';
import { VALIDATORS_FILE } from '../helpers/schema-validator';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The parts of an OpenAPI document read here. */
interface OpenApi {
  paths?: Record<
    string,
    Record<string, { operationId?: string; responses?: Record<string, { content?: Record<string, { schema?: Json }> }> }>
  >;
  components?: { schemas?: JsonObject };
}

const SCHEMA_ID_BASE = 'https://transak-logout-suite.local/schemas/';

/** Inlines every local `#/components/schemas/X` reference; the published schemas stay as they are. */
function inlineRefs(node: Json, components: JsonObject, trail: string[] = []): Json {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, components, trail));
  if (typeof node !== 'object' || node === null) return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!match) throw new Error(`unsupported $ref "${ref}": only #/components/schemas/* is resolved`);
    const name = match[1];
    if (trail.includes(name)) throw new Error(`recursive schema ${[...trail, name].join(' -> ')} cannot be inlined`);
    const target = components[name];
    if (target === undefined) throw new Error(`$ref "${ref}" names no schema in components.schemas`);
    return inlineRefs(target, components, [...trail, name]);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inlineRefs(value, components, trail)]));
}

function extractFromDocument(document: OpenApi, sourceName: string) {
  const components = document.components?.schemas ?? {};
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    // An entry left empty in the YAML is null: skipped, as a path item's non-operation keys are.
    Object.entries(item ?? {}).flatMap(([method, operation]) => {
      const operationId = operation?.operationId ?? `${method}-${path}`;
      return Object.entries(operation?.responses ?? {}).flatMap(([status, response]) => {
        const media = response?.content?.['application/json'];
        if (media?.schema === undefined) return [];
        const file = `${operationId}.${status}.schema.json`;
        const schema: JsonObject = {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          $id: `${SCHEMA_ID_BASE}${file}`,
          description: `${method.toUpperCase()} ${path} (${operationId}) ${status} application/json, extracted from openapi/${sourceName}`,
          ...(inlineRefs(media.schema, components) as JsonObject),
        };
        return [{ file, operationId, status, schema }];
      });
    }),
  );
}

export function extractAll(openapiDir: string) {
  return readdirSync(openapiDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .flatMap((name) => extractFromDocument(parse(readFileSync(join(openapiDir, name), 'utf8')) as OpenApi, name));
}

function render(schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * Every schema compiled here, strict and meta-schema-checked, into one CommonJS module of validate
 * functions keyed `<operationId>.<status>`: a worker loads it in 3 ms, where ajv and its compiler
 * cost each of the four workers that start at once on two cores about 0.2 s.
 */
function renderValidators(schemas: ReturnType<typeof extractAll>): string {
  const ajv = new Ajv2020({ strict: true, allErrors: true, code: { source: true } });
  addFormats(ajv);
  for (const { schema } of schemas) ajv.addSchema(schema);
  const exports = Object.fromEntries(schemas.map(({ operationId, status, schema }) => [`${operationId}.${status}`, schema.$id as string]));
  return `// Written by npm run schemas from schemas/*.schema.json (ajv standalone code): never by hand.\n${standaloneCode(ajv, exports)}\n`;
}

/** Lists every difference between the committed schemas and the ones the sources produce. */
export function findDrift(openapiDir: string, schemaDir: string): string[] {
  const expected = extractAll(openapiDir);
  const drift: string[] = [];
  for (const { file, schema } of expected) {
    const path = join(schemaDir, file);
    if (!existsSync(path)) drift.push(`${file}: missing (run npm run schemas)`);
    else if (readFileSync(path, 'utf8') !== render(schema)) drift.push(`${file}: differs from the OpenAPI source (run npm run schemas)`);
  }
  const wanted = new Set(expected.map((e) => e.file));
  for (const name of existsSync(schemaDir) ? readdirSync(schemaDir) : []) {
    if (name.endsWith('.schema.json') && !wanted.has(name))
      drift.push(`${name}: no longer produced by any OpenAPI source (run npm run schemas)`);
  }
  const validators = join(schemaDir, VALIDATORS_FILE);
  if (!existsSync(validators) || readFileSync(validators, 'utf8') !== renderValidators(expected))
    drift.push(`${VALIDATORS_FILE}: not compiled from these schemas by this ajv (run npm run schemas)`);
  return drift;
}

function main(argv: string[]): number {
  const openapiDir = join(ROOT, 'openapi');
  const schemaDir = join(ROOT, 'schemas');
  if (argv.includes('--check')) {
    const drift = findDrift(openapiDir, schemaDir);
    if (drift.length === 0) {
      console.log(`schemas: ${extractAll(openapiDir).length} files and ${VALIDATORS_FILE} match openapi/`);
      return 0;
    }
    console.error(`schemas: drift from openapi/ in ${drift.length} file(s):\n  ${drift.join('\n  ')}`);
    return 1;
  }
  for (const name of readdirSync(schemaDir)) if (name.endsWith('.schema.json')) unlinkSync(join(schemaDir, name));
  const schemas = extractAll(openapiDir);
  for (const { file, schema } of schemas) writeFileSync(join(schemaDir, file), render(schema));
  writeFileSync(join(schemaDir, VALIDATORS_FILE), renderValidators(schemas));
  console.log(`schemas: wrote ${schemas.length} files and ${VALIDATORS_FILE} to schemas/`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
