import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet, { strictTransportSecurity } from 'helmet';
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
export function applyHttpSecurity(app: NestExpressApplication, env: HubEnv): void {
  // false: X-Forwarded-* is ignored and req.ip is the socket's peer (the rate-limit key).
  app.set('trust proxy', env.trustedProxies);
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // Sent only over TLS (below): a plain-HTTP deployment must not pin browsers to HTTPS.
      strictTransportSecurity: false,
    }),
  );
  const hsts = strictTransportSecurity({ maxAge: 365 * 24 * 3600 });
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.secure ? hsts(req, res, next) : next(),
  );
  app.use(NO_STORE_PATHS, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
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
