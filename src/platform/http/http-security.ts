import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import helmet, { strictTransportSecurity } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubEnv } from '../config/hub-config';

/**
 * One policy for every page the hub serves (Swagger UI and bull-board need inline styles; no
 * page needs inline script, eval or another origin). The dashboard sets a stricter one of its own.
 */
const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Answers here may carry an access token or personal data: no browser or proxy keeps them. */
const NO_STORE_PATHS = ['/api', '/admin'];

const CORS_ALLOWED_HEADERS = [
  'Content-Type',
  'Idempotency-Key',
  'X-Access-Token',
  'Authorization',
  'X-Request-Id',
];
const CORS_EXPOSED_HEADERS = ['Retry-After', 'X-Request-Id'];

/**
 * Who the client is (TRUSTED_PROXIES), what a browser may do with the answers (security headers,
 * CORS_ORIGINS) and what it may keep (no-store). Registered first, so every route gets them,
 * including errors raised before Nest routes a request and the UIs mounted outside Nest.
 */
export function applyHttpSecurity(app: NestFastifyApplication, env: HubEnv): void {
  // Trusted proxies: the adapter's trustProxy (fastifyOptions), set when the app is made.
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Sent only over TLS (below): a plain-HTTP deployment must not pin browsers to HTTPS.
    strictTransportSecurity: false,
  }) as (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
  const hsts = strictTransportSecurity({ maxAge: 365 * 24 * 3600 }) as typeof headers;
  fastify.addHook('onRequest', (request, reply, done) => {
    headers(request.raw, reply.raw, (error) => {
      if (error) return done(error as Error);
      if (request.protocol === 'https') hsts(request.raw, reply.raw, () => {});
      const path = request.url.split('?')[0];
      if (NO_STORE_PATHS.some((p) => path === p || path.startsWith(`${p}/`)))
        reply.raw.setHeader('Cache-Control', 'no-store');
      done();
    });
  });
  // Always registered: with no origin allowed, a preflight is answered without any grant.
  app.enableCors({
    origin: env.corsOrigins,
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  });
}
