import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, getSchemaPath } from '@nestjs/swagger';
import { ProblemSchema } from '../errors/problem.openapi';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem';

/** Security scheme names, used by controllers' `@ApiSecurity` / `@ApiBearerAuth`. */
export const CITIZEN_TOKEN = 'accessToken';
export const PORTAL_SIGNATURE = 'portalSignature';
export const CITIZEN_SESSION = 'citizenSession';

/** Swagger UI at /docs and the OpenAPI 3.1 document at /docs-json (linted by a test). */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Grievance integration hub')
    .setDescription(
      'Lodge a grievance once; the hub routes it to CPGRAMS or the responsible state portal. ' +
        'Every error is application/problem+json (RFC 9457).',
    )
    .setVersion('1')
    .setOpenAPIVersion('3.1.0')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'This hub')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'API key',
      description: 'Staff API key: npm run hub -- api-key create',
    })
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Access-Token',
        description: 'The accessToken returned once when the grievance was lodged',
      },
      CITIZEN_TOKEN,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Citizen-Token',
        description: 'A citizen session: POST /api/v1/citizen/otp, then /api/v1/citizen/session',
      },
      CITIZEN_SESSION,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Hub-Signature',
        description:
          'sha256=<hex HMAC-SHA256(portal secret, X-Hub-Timestamp + "." + raw body)>, ' +
          'with X-Hub-Timestamp in unix seconds, at most 300 s off',
      },
      PORTAL_SIGNATURE,
    )
    .addGlobalResponse({
      status: 500,
      description: 'Unexpected failure; nothing to fix on the client side, retry later',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemSchema) } } },
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemSchema] });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
