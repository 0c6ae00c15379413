import { ValidationError, ValidationPipe } from '@nestjs/common';
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

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
