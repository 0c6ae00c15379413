import type { FastifyReply } from 'fastify';
import type { FieldError } from './domain-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://grievance-hub.example/problems/';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
  [member: string]: unknown;
}

export function problem(
  code: string,
  status: number,
  title: string,
  detail: string,
  errors?: FieldError[],
  members: Record<string, unknown> = {},
): ProblemBody {
  return {
    ...members,
    type: `${TYPE_BASE}${code}`,
    title,
    status,
    detail,
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(
  reply: FastifyReply,
  body: ProblemBody,
  headers: Record<string, string> = {},
): void {
  const requestId = reply.request.id;
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  reply
    .status(body.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...body, instance: reply.request.url, requestId }));
}
