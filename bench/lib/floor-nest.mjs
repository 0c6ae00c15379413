// The floor the intake target is set against: a minimal handler on the hub's own stack (NestJS on
// Express, its default JSON body parser) doing the same database transaction with raw `pg`
// (floor-lodge.mjs). No validation, guards, logging or encryption: what the framework costs
// before the hub adds anything. Decorators are applied by hand because this is plain JavaScript.
// `node floor-nest.mjs <port> <databaseUrl>`
import 'reflect-metadata';
import { BadRequestException, Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { lodge } from './floor-lodge.mjs';

const [port, databaseUrl] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });

class FloorController {
  lodge(body) {
    if (typeof body?.subject !== 'string' || body.consent !== true) throw new BadRequestException();
    return lodge(pool, body);
  }
}
const method = Object.getOwnPropertyDescriptor(FloorController.prototype, 'lodge');
Body()(FloorController.prototype, 'lodge', 0);
Post()(FloorController.prototype, 'lodge', method);
HttpCode(201)(FloorController.prototype, 'lodge', method);
Controller('api/v1/complaints')(FloorController);

class FloorModule {}
Module({ controllers: [FloorController] })(FloorModule);

const app = await NestFactory.create(FloorModule, { logger: false });
await app.listen(Number(port), '127.0.0.1');
process.stdout.write(`nest floor on ${port}\n`);
