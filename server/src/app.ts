// buildApp(deps): the Fastify app with its plugins and every domain's routes, not listening (tests use inject()).
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, sep } from 'node:path';
import { pingDatabase } from './db/client.js';
import { AppError, classifyError, msg, notFound, renderMessage } from './errors.js';
import { ajvMessage } from './validation.js';
import { replyLocale } from './locales/reply-locale.js';
import { loadSchemas, refsToComponents, schemasDir } from './schemas.js';
import { requestValidatorCompiler } from './validation.js';
import { authPlugin } from './accounts/auth.js';
import { responseCachePlugin } from './cache/response-cache.js';
import { securityHeadersPlugin } from './security-headers.js';
import { slowBodiesPlugin } from './slow-bodies.js';
import { accountRoutes } from './accounts/routes.js';
import { localeRoutes } from './locales/routes.js';
import { registryRoutes } from './registry/routes.js';
import { translationRoutes } from './registry/translations-routes.js';
import { translationProposalRoutes } from './registry/translation-proposals-routes.js';
import { pipelineRoutes } from './pipeline/routes.js';
import { boardRoutes } from './electronics/routes.js';
import { bomRoutes } from './bom/routes.js';
import { interopRoutes } from './interop/routes.js';
import { buildRoutes } from './builds/routes.js';
import { searchRoutes } from './search/routes.js';
import { forkRoutes } from './registry/forks-routes.js';
import { moderationRoutes } from './moderation/routes.js';
import { profileRoutes } from './community/profile-routes.js';
import { packetRoutes } from './packet/routes.js';
import { discussionRoutes } from './community/discussion-routes.js';
import { designRoutePlumbing } from './registry/design-route.js';
import { activityContentNegotiation, federationMount } from './federation/mount.js';
import { federationApiRoutes } from './federation/routes.js';
import { metricsRoutes } from './metrics/routes.js';
import { recordHttpRequests } from './metrics/http.js';
import type { AppDeps } from './hooks.js';
import { starRoutes } from './community/star-routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { digestRoutes } from './notifications/digest-routes.js';

export { emptyHooks, type AppHooks, type AppDeps } from './hooks.js';

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** every route as registered (method, url): the authorization matrix test checks each has a row */
    registeredRoutes: { method: string; url: string }[];
  }
}

const webDist = join(schemasDir, '..', 'web', 'dist');

/**
 * Every route's problem replies: the error handler's problem+json, serialized by its schema (a 4xx or 5xx the
 * route declares itself wins).
 */
const problem = {
  description: 'A problem: what went wrong and, per field, what to change',
  content: { 'application/problem+json': { schema: { $ref: 'problem#' } } },
};
const problemReplies = { '4xx': problem, '5xx': problem };

export interface BuildOptions {
  /** plugins registered at the root before any route, so their hooks see every route (tests check replies) */
  plugins?: FastifyPluginAsync[];
}

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel },
    bodyLimit: 1024 * 1024,
    // idle sockets close; a body's pace is checked by slowBodiesPlugin (a fixed total would cut off large uploads)
    connectionTimeout: deps.config.idleTimeoutMs,
    routerOptions: { maxParamLength: 2048 },
    // unique across processes and restarts: a request's id finds its log lines and its jobs' (reqId)
    genReqId: () => randomUUID(),
  });
  app.decorate('deps', deps);
  app.decorate('registeredRoutes', [] as { method: string; url: string }[]);
  // before any route, so every route (and the not-found handler) is counted and carries its request id
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', recordHttpRequests(deps.metrics.http));
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) app.registeredRoutes.push({ method, url: r.url });
  });
  app.decorateRequest('design', null as never);
  app.decorateRequest('version', null as never);
  app.addHook('onRoute', designRoutePlumbing(deps.db));
  app.addHook('onRoute', (r) => {
    if (r.schema?.hide || !/^\/(api\/|healthz$|readyz$)/.test(r.url)) return;
    r.schema = { ...r.schema, response: { ...problemReplies, ...(r.schema?.response as object) } };
  });
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  for (const s of loadSchemas()) app.addSchema(s);
  app.setValidatorCompiler(requestValidatorCompiler());

  app.setErrorHandler((err: FastifyError, req, reply) => {
    let problem: AppError | undefined;
    if (err.validation) {
      const errors = err.validation.map((v) => ({
        field: `${err.validationContext === 'body' ? '' : '/' + err.validationContext}${v.instancePath || ''}${v.keyword === 'required' ? '/' + v.params.missingProperty : v.keyword === 'additionalProperties' ? '/' + v.params.additionalProperty : ''}`,
        message: ajvMessage(v),
      }));
      problem = new AppError(
        'validation',
        (locale) => errors.map((e) => `${e.field || '/'} ${renderMessage(e.message, locale)}`).join('; '),
        { errors },
      );
    } else {
      problem = classifyError(err);
    }
    if (!problem) {
      req.log.error({ err }, 'unhandled error');
      problem = new AppError('internal', msg('internal'));
    }
    if (problem.status >= 500) req.log.warn({ err }, problem.message);
    for (const [k, v] of Object.entries(problem.headers ?? {})) reply.header(k, v);
    // refused before its body was read (too large, not allowed…): close rather than let Node drain gigabytes
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (problem.status >= 400 && hasBody && !req.raw.readableEnded) reply.header('connection', 'close');
    return sendProblem(req, reply, problem);
  });
  // a problem in the caller's language (Accept-Language), its type unchanged; the reply says which and why
  function sendProblem(req: FastifyRequest, reply: FastifyReply, problem: AppError) {
    const locale = replyLocale(req, reply);
    return reply.code(problem.status).type('application/problem+json').send(problem.toProblem(locale));
  }

  // Before any route (it hooks each route as it is added): what this server writes — JSON, the web app's JS,
  // CSS and HTML — goes out gzip or brotli when the client accepts it; PNG, WebP, zip and PDF are left alone
  // (mime-db: not compressible), stored blobs opt out per route (see sendBlob), and the SSE stream is written
  // on the raw socket, which never passes through it. Request bodies are not inflated: the upload limits
  // count the bytes as sent.
  await app.register(compress, { globalDecompression: false });
  // OpenAPI 3.1: its Schema Objects are JSON Schema 2020-12, so schemas/ is published as validated
  // (type arrays with null, numeric exclusiveMinimum, if/then), which 3.0's subset cannot express.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Andecha API',
        version: '0.1.0',
        description: 'Open hardware design registry with a build pipeline',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id || `def-${i}`) },
    transformObject: (doc) => refsToComponents('openapiObject' in doc ? doc.openapiObject : doc.swaggerObject),
  });
  // The web app's CSP: everything bundled and served from here; inline style attributes are Preact's;
  // 'wasm-unsafe-eval' lets the viewer compile the meshopt decoder's WebAssembly (never eval of script).
  // upgrade-insecure-requests only when served over https: on plain http (a LAN, compose without TLS) it
  // would send the browser to https for every script and stylesheet, and the page would stay blank.
  await app.register(securityHeadersPlugin, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: deps.config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(slowBodiesPlugin, {
    minBytesPerSecond: deps.config.minUploadBytesPerSecond,
    windowMs: deps.config.uploadRateWindowMs,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  await app.register(multipart, {
    preservePath: true,
    // 1 MB buffers instead of busboy's 16 KB: far fewer chunks through hashing and the store per uploaded GB
    highWaterMark: 1024 * 1024,
    fileHwm: 1024 * 1024,
    limits: {
      fileSize: deps.config.maxFileBytes,
      files: deps.config.maxFilesPerVersion + 1,
      fields: 20,
      fieldSize: 1024 * 1024,
      parts: deps.config.maxFilesPerVersion + 30,
    },
  });
  await app.register(authPlugin);
  await app.register(responseCachePlugin);

  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'The process is up', response: { 200: { $ref: 'health#' } } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Database, blob store and first-start work ready',
        response: { 200: { $ref: 'readiness#' }, 503: { $ref: 'readiness#' } },
      },
    },
    async (_req, reply) => {
      const checks: Record<string, string> = {};
      await pingDatabase(deps.db).then(
        () => {
          checks.database = 'ok';
        },
        (e) => {
          checks.database = `down: ${e.code ?? e.message}`;
        },
      );
      await deps.blobs.ping().then(
        () => {
          checks.blobs = 'ok';
        },
        (e) => {
          checks.blobs = `down: ${e.code ?? e.message}`;
        },
      );
      checks.startup = deps.startup.done ? 'ok' : 'starting';
      // the worker threads load, start OpenCascade and draw once before the first publish needs them
      if (deps.pipeline) checks.pipeline = deps.pipeline.warm ? 'ok' : 'warming';
      const ready = Object.values(checks).every((c) => c === 'ok');
      if (!ready) reply.code(503).header('retry-after', '2');
      return { status: ready ? 'ready' : 'not ready', checks };
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(accountRoutes);
  await app.register(localeRoutes);
  await app.register(registryRoutes);
  await app.register(translationRoutes);
  await app.register(translationProposalRoutes);
  await app.register(pipelineRoutes);
  await app.register(boardRoutes);
  await app.register(bomRoutes);
  await app.register(interopRoutes);
  await app.register(buildRoutes);
  await app.register(searchRoutes);
  await app.register(forkRoutes);
  await app.register(moderationRoutes);
  await app.register(profileRoutes);
  await app.register(packetRoutes);
  await app.register(discussionRoutes);
  await app.register(starRoutes);
  await app.register(notificationRoutes);
  await app.register(digestRoutes);
  if (deps.federation) {
    await app.register(activityContentNegotiation);
    await app.register(federationMount(deps.federation, deps.config));
    await app.register(federationApiRoutes(deps.federation));
  }
  await app.register(metricsRoutes);

  // The web app: built at install time into web/dist, served at / with the SPA's routes falling back to index.html.
  // Vite names what it puts under assets/ by content hash, so those never change and are cached for a year;
  // index.html names the current ones, so it is revalidated on every load.
  if (existsSync(join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: 'index.html',
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header(
          'cache-control',
          path.startsWith(join(webDist, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0];
    // an asset that is not there (a stale hash after a deploy, a source map) is a 404, not the app's page:
    // a script tag given HTML fails obscurely, and a cached 200 would hide the file for a year
    if (
      req.method === 'GET' &&
      !url.startsWith('/api/') &&
      !url.startsWith('/assets/') &&
      existsSync(join(webDist, 'index.html'))
    ) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(req, reply, notFound.route(req.method, url));
  });
  return app;
}
