// The NestJS floor (floor-nest.mjs) on @nestjs/platform-fastify instead of Express: the same
// controller and transaction, to measure what the HTTP platform alone costs (decisions 0025, 0030).
// Runs from the repo (@nestjs/platform-fastify is a devDependency), e.g.
//   node bench/intake-ab.mjs --floor nestFastify=bench/lib/floor-nest-fastify.mjs
// `node floor-nest-fastify.mjs <port> <databaseUrl>`
import 'reflect-metadata';
import { BadRequestException, Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
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

const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(port), '127.0.0.1');
process.stdout.write(`nest fastify floor on ${port}\n`);
