export interface FieldError {
  path: string;
  message: string;
}

/**
 * Every error the hub means to show a client. `code` is stable (clients and tests match on it);
 * `detail` must never contain a complainant's personal data.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      /** Extension members of the problem (RFC 9457 §3.2), e.g. the existing grievance's id. */
      members?: Record<string, unknown>;
    } = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export class ValidationFailedError extends DomainError {
  constructor(errors: FieldError[]) {
    super('validation-failed', 400, 'Invalid request', `${errors.length} field(s) are invalid`, {
      errors,
    });
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not-found', 404, 'Not found', `${what} was not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, detail: string) {
    super(code, 409, 'Conflict', detail);
  }
}
