import type { FastifyInstance } from 'fastify';

/**
 * Logout has no body, and clients differ in what they send with it: an empty body labelled JSON,
 * or some other content type. Neither may turn a logout into a 400 or 415, so an empty JSON body
 * reads as no body, and any other type is read as text and left to the route's schema (login and
 * verify then answer 400/9001; logout ignores it).
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
