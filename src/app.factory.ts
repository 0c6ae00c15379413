import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, servedTools, type AppOptions } from './app.module';
import type { HubConfig } from './platform/config/hub-config';
import { configureHttp } from './platform/http/configure-http';

/** Builds the hub exactly as production runs it; main.ts and the tests both use this. */
export async function createHubApp(
  config: HubConfig,
  options: AppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureHttp(app);
  if (servedTools(config).docs) setUpSwagger(app);
  return app;
}

function setUpSwagger(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Grievance integration hub')
      .setDescription(
        'Lodge a grievance once; the hub routes it to CPGRAMS or the responsible state portal.',
      )
      .setVersion('1')
      .setOpenAPIVersion('3.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
