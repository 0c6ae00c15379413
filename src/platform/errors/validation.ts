import { type ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidatorOptions } from 'class-validator';
import { passesEveryRule } from '../validation/rule-check';
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

/** What every body is validated with, by the pipe and by validateAs. */
export const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  // The value is kept only to tell a missing field from a wrong one (toFieldErrors): it is
  // never echoed back or logged, since it may be a mobile number.
  validationError: { target: false, value: true },
} satisfies ValidatorOptions;

/**
 * Nest's pipe, with class-validator asked only when the quick check of the same rules
 * (passesEveryRule) does not pass: most bodies are valid, and for them class-validator's walk
 * was most of the validation's cost. An invalid body gets class-validator's errors as before.
 */
class HubValidationPipe extends ValidationPipe {
  /**
   * A body that passes every rule takes a short way: the instance class-transformer makes of it,
   * once it passes the quick check, is what Nest's pipe would return, without the pipe's three
   * walks of the value for what a parsed body cannot hold (prototype keys: refused with a 400
   * before any pipe, platform/http/json-shape; gaps in arrays and binary values: JSON and the
   * form parser make neither) and its awaits. Anything else, and any body that does not pass,
   * takes Nest's whole way, errors worded as before.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (metadata.type === 'body' && metatype && isPlainObject(value) && this.toValidate(metadata)) {
      const entity: unknown = plainToInstance(metatype, value, this.transformOptions);
      if (isPlainInstanceOf(entity, metatype) && passesEveryRule(entity, this.validatorOptions))
        return entity;
    }
    return super.transform(value, metadata);
  }

  protected override validate(object: object, options?: ValidatorOptions) {
    return options && passesEveryRule(object, options) ? [] : super.validate(object, options);
  }
}

/** An object as JSON.parse or the form parser makes it (no class, no prototype of its own). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** An instance of the class itself, as class-transformer makes one from a plain object. */
function isPlainInstanceOf(entity: unknown, metatype: unknown): entity is object {
  return (
    entity !== null &&
    typeof entity === 'object' &&
    Object.getPrototypeOf(entity) === (metatype as { prototype: unknown }).prototype
  );
}

export function createValidationPipe(): ValidationPipe {
  return new HubValidationPipe({
    transform: true,
    ...VALIDATOR_OPTIONS,
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
  if (passesEveryRule(instance, VALIDATOR_OPTIONS)) return instance;
  const errors = await validate(instance, VALIDATOR_OPTIONS);
  if (errors.length) throw new ValidationFailedError(toFieldErrors(errors));
  return instance;
}
