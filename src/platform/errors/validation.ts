import { type ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { FieldError, ValidationFailedError } from './domain-error';

const UNKNOWN_FIELD = 'whitelistValidation';
/** When one of these fails, the other rules on the field say nothing useful. */
const TYPE_CHECKS = ['isString', 'isInt', 'isBoolean', 'isNumber'];

/**
 * Flattens class-validator's tree into `{ path: "complainant.mobile", message }` entries, one
 * message per problem: a missing field is "required" (not every rule it would have failed), a
 * value of the wrong type is only that.
 */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    return [
      ...messagesFor(error).map((message) => ({ path, message })),
      ...toFieldErrors(error.children ?? [], path),
    ];
  });
}

function messagesFor(error: ValidationError): string[] {
  const constraints = error.constraints ?? {};
  if (constraints[UNKNOWN_FIELD]) return ['is not a known field'];
  if (Object.keys(constraints).length === 0) return [];
  if (error.value === undefined || error.value === null) return [`${error.property} is required`];
  const typeCheck = TYPE_CHECKS.find((name) => constraints[name]);
  return typeCheck ? [constraints[typeCheck]] : Object.values(constraints);
}

/**
 * A DTO's own check of a body on a hot route, beside its decorators: the DTO instance, exactly as
 * class-transformer would build it, when the body passes every rule the decorators declare; null
 * otherwise, and then class-transformer and class-validator run as for any DTO and produce the
 * errors. It may refuse more than the decorators (the full path then decides), never accept more.
 * A static of the DTO class under this symbol (docs/benchmarks.md#intake-cpu-issue-16).
 */
export const FAST_VALIDATION = Symbol('fastValidation');
type FastValidated = { [FAST_VALIDATION]?: (plain: unknown) => object | null };

/** The DTO built by its fast check, or null: none, or the body needs the full path. */
export function fastValidated(metatype: unknown, plain: unknown): object | null {
  const fast = (metatype as FastValidated | undefined)?.[FAST_VALIDATION];
  return typeof fast === 'function' ? fast(plain) : null;
}

/** Nest's ValidationPipe, with a DTO's fast check first where it has one. */
class HubValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const dto = fastValidated(metadata.metatype, value);
      if (dto) return dto;
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new HubValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    // The value is kept only to tell a missing field from a wrong one (toFieldErrors): it is
    // never echoed back or logged, since it may be a mobile number.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new ValidationFailedError(toFieldErrors(errors)),
  });
}

/**
 * Validates a plain object as `cls` with the same rules the global pipe applies to a request body,
 * for a body that arrives in another shape (Open311's form) and is mapped onto a DTO.
 */
export async function validateAs<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
): Promise<T> {
  const fast = fastValidated(cls, plain);
  if (fast) return fast as T;
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
  });
  if (errors.length) throw new ValidationFailedError(toFieldErrors(errors));
  return instance;
}
