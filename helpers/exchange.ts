/** One HTTP request and its answer, as the suite saw them (raw: redact before writing anywhere). */
export interface Exchange {
  /** The OpenAPI operationId when the call is a documented operation, else undefined. */
  operationId: string | undefined;
  method: string;
  /** Path without the query string: the query may hold the API key. */
  path: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  status: number;
  statusText: string;
  responseHeaders: Record<string, string>;
  bodyText: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
  ms: number;
}

/** The status classes every check reads, in one place. */
export const isSuccess = ({ status }: Pick<Exchange, 'status'>): boolean => status >= 200 && status < 300;
export const isClientError = ({ status }: Pick<Exchange, 'status'>): boolean => status >= 400 && status < 500;
export const isServerError = ({ status }: Pick<Exchange, 'status'>): boolean => status >= 500;

export function describe(ex: Pick<Exchange, 'method' | 'path'>): string {
  return `${ex.method} ${ex.path}`;
}

export function statusLine(ex: Pick<Exchange, 'status' | 'statusText'>): string {
  return `${ex.status}${ex.statusText ? ` ${ex.statusText}` : ''}`;
}

export function header(ex: Exchange, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(ex.responseHeaders).find(([key]) => key.toLowerCase() === wanted);
  return found?.[1];
}

/** application/json or any +json type, case-insensitive, parameters such as charset allowed. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const media = value.split(';')[0].trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
