import type { FastifyInstance } from 'fastify';

/**
 * Clients send logout an empty body labelled JSON, or other content types: neither may make it a 400 or
 * 415. So empty JSON reads as no body, and other types as text left to the route's schema (login and
 * verify answer 400/9001; logout ignores it).
 */
export function installBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}
