import 'reflect-metadata';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { CreateComplaintDto } from '../../complaints/dto/create-complaint.dto';
import { ValidationFailedError } from './domain-error';
import { createValidationPipe, toFieldErrors, VALIDATOR_OPTIONS } from './validation';

/**
 * The hub's pipe takes a short way for bodies that pass every rule. Whatever way it takes, it
 * must answer what Nest's own pipe answers with the same options: the same instance (same
 * classes, same fields) for a good body, the same field errors for a bad one.
 */
const hub = createValidationPipe();
const nest = new ValidationPipe({
  transform: true,
  ...VALIDATOR_OPTIONS,
  exceptionFactory: (errors) => new ValidationFailedError(toFieldErrors(errors)),
});
const BODY: ArgumentMetadata = { type: 'body', metatype: CreateComplaintDto, data: '' };

const good = () => ({
  complainant: {
    name: 'Asha Verma',
    mobile: '9876543210',
    email: 'asha@example.in',
    language: 'hi',
  },
  subject: 'Streetlight not working',
  description: 'The streetlight outside house 12 has been off for three weeks.',
  category: 'MUNICIPAL_SERVICES',
  location: { stateCode: '09', districtCode: '162', pincode: '226010', address: 'House 12' },
  ministryCode: null,
  consent: true,
});

/** Bodies as a client may send them: good ones, and each way of being wrong the rules know. */
const BODIES: [string, () => unknown][] = [
  ['a good body', good],
  [
    'a good body without optional fields',
    () => {
      const b = good() as Record<string, unknown>;
      delete b.ministryCode;
      delete (b.complainant as Record<string, unknown>).email;
      return b;
    },
  ],
  ['an unknown field', () => ({ ...good(), priority: 'high' })],
  ['an unknown nested field', () => ({ ...good(), location: { ...good().location, ward: 7 } })],
  ['a missing field', () => ({ ...good(), subject: undefined })],
  ['a wrong type', () => ({ ...good(), consent: 'yes' })],
  ['a nested object of the wrong type', () => ({ ...good(), complainant: 'Asha' })],
  ['a nested array instead of an object', () => ({ ...good(), location: [good().location] })],
  ['a bad mobile', () => ({ ...good(), complainant: { ...good().complainant, mobile: '12' } })],
  ['an empty body', () => ({})],
  ['an object without a prototype', () => Object.assign(Object.create(null), good())],
];

async function answer(pipe: ValidationPipe, body: unknown) {
  try {
    const value = (await pipe.transform(body, BODY)) as object;
    return { ok: true, cls: value.constructor.name, value: JSON.parse(JSON.stringify(value)) };
  } catch (error) {
    const { code, detail, extra } = error as ValidationFailedError;
    return { ok: false, cls: (error as object).constructor.name, code, detail, extra };
  }
}

describe('the hub’s validation pipe', () => {
  it.each(BODIES)('answers %s as Nest’s own pipe does', async (_label, body) => {
    const ours = await answer(hub, body());
    expect(ours).toEqual(await answer(nest, body()));
  });

  it('makes the DTO’s classes of a good body, nested ones included', async () => {
    const value = (await hub.transform(good(), BODY)) as CreateComplaintDto;
    expect(value).toBeInstanceOf(CreateComplaintDto);
    expect(value.location.constructor.name).not.toBe('Object');
    expect(value.complainant.constructor.name).not.toBe('Object');
  });

  it('takes the short way for a good body only (Nest’s walks are most of its cost)', async () => {
    const nestWay = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      await hub.transform(good(), BODY);
      expect(nestWay).not.toHaveBeenCalled();
      await expect(hub.transform({ ...good(), consent: 'yes' }, BODY)).rejects.toBeInstanceOf(
        ValidationFailedError,
      );
      expect(nestWay).toHaveBeenCalledTimes(1);
    } finally {
      nestWay.mockRestore();
    }
  });

  it('refuses a good body with an unknown field, naming the field', async () => {
    await expect(hub.transform({ ...good(), priority: 'high' }, BODY)).rejects.toMatchObject({
      extra: { errors: [{ path: 'priority', message: 'is not a known field' }] },
    });
  });
});
