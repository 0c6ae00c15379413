import type { ArgumentsHost } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Where an exception filter writes its answer. For an error in a handler, a guard or a Fastify
 * hook, Nest hands the filter Fastify's request and reply; for one thrown in a Nest middleware
 * (the partner key's look-up), which middie runs on the raw request, it hands the raw
 * IncomingMessage and ServerResponse. Both are answered the same way through this, so a
 * middleware's failure gets the same status and body as a handler's (a database outage 503,
 * not a filter crashing on the raw response).
 */
export interface FilterAnswer {
  /** The path and query the client asked for (a problem's `instance`). */
  url: string;
  requestId: string | undefined;
  send(status: number, headers: Record<string, string>, body: string): void;
}

export function answerOf(host: ArgumentsHost): FilterAnswer {
  const http = host.switchToHttp();
  const response = http.getResponse<FastifyReply | ServerResponse>();
  if (isFastifyReply(response)) return replyAnswer(response);
  // middie rewrites `url` relative to the middleware's mount path, Express-style.
  const request = http.getRequest<IncomingMessage & { id?: string; originalUrl?: string }>();
  return {
    url: request.originalUrl ?? request.url ?? '',
    requestId: request.id,
    send(status, headers, body) {
      if (response.headersSent) return;
      response.statusCode = status;
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      // As Fastify's reply sends a string body: UTF-8, and said so.
      const type = response.getHeader('content-type');
      if (typeof type === 'string' && !/charset=/i.test(type))
        response.setHeader('content-type', `${type}; charset=utf-8`);
      response.end(body);
    },
  };
}

/** Fastify's reply as a FilterAnswer (hooks that refuse a request write through this too). */
export function replyAnswer(reply: FastifyReply): FilterAnswer {
  return {
    url: reply.request.url,
    requestId: reply.request.id,
    send(status, headers, body) {
      for (const [name, value] of Object.entries(headers)) reply.header(name, value);
      reply.status(status).send(body);
    },
  };
}

function isFastifyReply(response: FastifyReply | ServerResponse): response is FastifyReply {
  return typeof (response as FastifyReply).request === 'object' && 'raw' in response;
}
