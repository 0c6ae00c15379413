import type { FastifyReply } from 'fastify';
import type { FieldError } from './domain-error';
import { replyAnswer, type FilterAnswer } from './filter-answer';

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
  to: FastifyReply | FilterAnswer,
  body: ProblemBody,
  headers: Record<string, string> = {},
): void {
  const answer = 'raw' in to ? replyAnswer(to) : to;
  answer.send(
    body.status,
    { ...headers, 'Content-Type': PROBLEM_CONTENT_TYPE },
    JSON.stringify({ ...body, instance: answer.url, requestId: answer.requestId }),
  );
}
