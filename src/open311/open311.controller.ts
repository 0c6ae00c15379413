import { All, Controller, Get, Headers, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { partnerOf, type PartnerRequest } from '../partner-apps/partner-key';
import { requestIdsOf } from '../auth/staff-request';
import { Open311Error } from './open311-error';
import { Open311ErrorFilter } from './open311-error.filter';
import { CONTENT_TYPES, splitFormat, type Open311Format } from './open311-format';
import { serialize, type Open311Value } from '../../adapters/open311/georeport';
import { Open311Service } from './open311.service';

type Query = Record<string, unknown>;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._~-]{8,128}$/;

function formatOf(raw: string): Open311Format {
  const parsed = splitFormat(`x.${raw}`);
  if (!parsed) throw Open311Error.of(404, 'Formats are xml and json: append .xml or .json');
  return parsed.format;
}

function fileOf(file: string): { name: string; format: Open311Format } {
  const parsed = splitFormat(file);
  if (!parsed) throw Open311Error.of(404, 'Formats are xml and json: append .xml or .json');
  return parsed;
}

// Read off the request, not through the global pipe: Open311 arguments are loose by the spec
// (unknown ones ignored) and are checked by the rules in this folder.
const queryOf = (req: PartnerRequest) => req.query as Query;

function send(res: Response, format: Open311Format, root: string, body: Open311Value) {
  res.header('Content-Type', CONTENT_TYPES[format]);
  res.send(serialize(format, root, body));
}

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) with mySociety's servicerequestupdates;
 * docs/open311.md. Described by that spec rather than by the hub's OpenAPI document: its
 * answers are XML or JSON by suffix and its errors the spec's list, not problem+json.
 */
@ApiExcludeController()
@UseFilters(Open311ErrorFilter)
@Controller('open311/v2')
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @Get('discovery.:format')
  discovery(@Param('format') format: string, @Req() req: PartnerRequest, @Res() res: Response) {
    const url = `${req.protocol}://${req.headers.host}/open311/v2`;
    send(res, formatOf(format), 'discovery', this.open311.discovery(url));
  }

  @Get('services.:format')
  services(@Param('format') format: string, @Req() req: PartnerRequest, @Res() res: Response) {
    send(res, formatOf(format), 'services', this.open311.services(queryOf(req)));
  }

  @Get('services/:file')
  definition(@Param('file') file: string, @Req() req: PartnerRequest, @Res() res: Response) {
    const { name, format } = fileOf(file);
    send(res, format, 'service_definition', this.open311.definition(name, queryOf(req)));
  }

  @Post('requests.:format')
  async lodge(
    @Param('format') format: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: PartnerRequest,
    @Res() res: Response,
  ) {
    const f = formatOf(format);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw Open311Error.of(400, 'Idempotency-Key must be 8-128 characters of [A-Za-z0-9._~-]');
    const body = await this.open311.lodge(
      (req.body ?? {}) as Query,
      {
        app: partnerOf(req).partnerApp ?? null,
        keyRefused: !!partnerOf(req).partnerKeyRefused,
        ...requestIdsOf(req),
      },
      idempotencyKey ?? null,
    );
    res.status(201);
    send(res, f, 'service_requests', body);
  }

  @Get('requests.:format')
  async requests(
    @Param('format') format: string,
    @Req() req: PartnerRequest,
    @Res() res: Response,
  ) {
    const f = formatOf(format);
    send(res, f, 'service_requests', await this.open311.requests(queryOf(req)));
  }

  @Get('requests/:file')
  async request(@Param('file') file: string, @Req() req: PartnerRequest, @Res() res: Response) {
    const { name, format } = fileOf(file);
    send(res, format, 'service_requests', await this.open311.request(name, queryOf(req)));
  }

  @Get('tokens/:file')
  async token(@Param('file') file: string, @Req() req: PartnerRequest, @Res() res: Response) {
    const { name, format } = fileOf(file);
    send(res, format, 'service_requests', await this.open311.token(name, queryOf(req)));
  }

  @Get('servicerequestupdates.:format')
  async updates(@Param('format') format: string, @Req() req: PartnerRequest, @Res() res: Response) {
    const f = formatOf(format);
    send(res, f, 'service_request_updates', await this.open311.updates(queryOf(req)));
  }

  /** Anything else under /open311/v2 is the spec's 404, in the spec's format. */
  @All('*')
  unknown(): never {
    throw Open311Error.of(404, 'No such Open311 resource (see discovery.xml)');
  }
}
