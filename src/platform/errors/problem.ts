import type { Response } from 'express';
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
  res: Response,
  body: ProblemBody,
  headers: Record<string, string> = {},
): void {
  const requestId = res.getHeader('X-Request-Id');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res
    .status(body.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...body, instance: res.req.originalUrl, requestId }));
}
