/**
 * `npm run redact [-- <file or folder>...]`: masks test addresses in what a run leaves behind,
 * before anything is uploaded. The pool's addresses (TRANSAK_EMAILS) are secrets, yet error
 * messages name them, and the report job, the summary and the Pages site never see that secret:
 * so every address-shaped string is masked, plus the configured ones verbatim. It reads text, zips
 * (blob reports) and the HTML report's embedded base64 zip, and rewrites only what changed.
 * npm run test:api runs it on its own outputs.
 */
// adm-zip comes with allure (its CLI's own zip library): no zip code of our own, and no new dependency.
import AdmZip from 'adm-zip';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { listOf } from '../helpers/config';
import { mask } from '../helpers/redact';
import { ROOT } from '../helpers/repo-paths';

/** What a run writes, relative to the project: every report, result and attachment. */
export const RUN_OUTPUTS = ['reports', 'allure-results', 'blob-report', 'test-results'];

/** An address, plain or percent-encoded (`%40`), whose domain ends in letters (not `pkg@1.2.3`). */
const ADDRESS_SHAPE = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g;
/** The HTML report's data: a zip, base64, in a template element. */
const HTML_REPORT_DATA = /(<template id="playwrightReportBase64">data:application\/zip;base64,)([A-Za-z0-9+/=]+)(<\/template>)/;

export const addressesOf = (env = process.env): string[] => listOf(env.TRANSAK_EMAILS ?? '').filter((address) => address.length >= 4);

/** The configured addresses first, longest first: the shape could cut one short (`o'neil@…`). */
export function redactAddresses(text: string, known: string[] = []): string {
  const verbatim = [...known]
    .sort((a, b) => b.length - a.length)
    .reduce((out, address) => out.replaceAll(address, () => mask(address)), text);
  return verbatim.replace(ADDRESS_SHAPE, (address) => mask(address));
}

/** A zip starts with a local file header. */
export const isZip = (buffer: Buffer): boolean => buffer.toString('latin1', 0, 4) === 'PK\x03\x04';

/** Bytes that decode as UTF-8 text (JSON, XML, Markdown, ANSI-coloured logs); anything else is left alone. */
function isText(buffer: Buffer): boolean {
  const sample = buffer.subarray(0, 4096).toString('utf8');
  const odd = [...sample].filter((c) => c === '\ufffd' || (c < ' ' && !'\t\n\r\x1b'.includes(c)));
  return odd.length <= sample.length / 50;
}

/** Base64 runs long enough to hide an address (attachment bodies in JSON and blob events). */
const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;

/** Masks addresses in text, and in any base64 run in it that decodes to text. */
function redactText(text: string, known: string[]): string {
  const plain = redactAddresses(text, known);
  return plain.replace(BASE64_RUN, (run) => {
    const decoded = Buffer.from(run, 'base64');
    if (decoded.length < 12 || decoded.toString('base64').replace(/=+$/, '') !== run.replace(/=+$/, '') || !isText(decoded)) return run;
    const redacted = redactBuffer(decoded, known);
    return redacted === decoded ? run : redacted.toString('base64');
  });
}

/** The bytes with every address masked; the same Buffer when there was nothing to mask. */
function redactBuffer(buffer: Buffer, known: string[], name = ''): Buffer {
  if (isZip(buffer)) {
    const zip = new AdmZip(buffer);
    const changed = zip.getEntries().filter((entry) => {
      const data = entry.getData();
      const redacted = redactBuffer(data, known, entry.entryName);
      if (redacted !== data) entry.setData(redacted);
      return redacted !== data;
    });
    return changed.length > 0 ? zip.toBuffer() : buffer;
  }
  if (!isText(buffer)) return buffer;
  const text = buffer.toString('utf8');
  if (name.endsWith('.html')) {
    // Only the embedded data: the page's own code is not the run's output.
    const data = HTML_REPORT_DATA.exec(text);
    if (!data) return buffer;
    const zip = Buffer.from(data[2], 'base64');
    const redacted = redactBuffer(zip, known);
    return redacted === zip
      ? buffer
      : Buffer.from(text.replace(HTML_REPORT_DATA, () => `${data[1]}${redacted.toString('base64')}${data[3]}`));
  }
  const redacted = redactText(text, known);
  return redacted === text ? buffer : Buffer.from(redacted, 'utf8');
}

function filesUnder(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isFile()) return [path];
  return stat?.isDirectory() ? readdirSync(path).flatMap((name) => filesUnder(join(path, name))) : [];
}

/** Masks addresses in every file under `paths`; returns the files it rewrote. */
export function redactPaths(paths: string[], known = addressesOf()): string[] {
  return paths.flatMap(filesUnder).filter((file) => {
    const bytes = readFileSync(file);
    const redacted = redactBuffer(bytes, known, file);
    if (redacted !== bytes) writeFileSync(file, redacted);
    return redacted !== bytes;
  });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const paths = (args.length ? args : RUN_OUTPUTS).map((p) => resolve(ROOT, p));
  const rewritten = redactPaths(paths);
  console.log(
    `redact: test addresses masked in ${rewritten.length} file(s) under ${paths.map((p) => relative(ROOT, p) || '.').join(', ')}`,
  );
}
