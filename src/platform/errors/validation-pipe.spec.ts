import 'reflect-metadata';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
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
/** A body shaped like intake's (platform/ knows no feature's DTO): nested, optional, typed. */
class ComplainantDto {
  @IsString()
  @Length(2, 100)
  name!: string;

  @Matches(/^[6-9]\d{9}$/, { message: 'mobile must be a 10-digit Indian mobile number' })
  mobile!: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsIn(['en', 'hi'])
  language!: string;
}

class LocationDto {
  @Matches(/^\d{2}$/)
  stateCode!: string;

  @IsOptional()
  @Matches(/^\d{1,3}$/)
  districtCode?: string;

  @Matches(/^\d{6}$/)
  pincode!: string;

  @IsString()
  address!: string;
}

class CreateComplaintDto {
  @ValidateNested()
  @Type(() => ComplainantDto)
  complainant!: ComplainantDto;

  @IsString()
  @Length(5, 200)
  subject!: string;

  @IsString()
  @Length(10, 4000)
  description!: string;

  @IsString()
  category!: string;

  @ValidateNested()
  @Type(() => LocationDto)
  location!: LocationDto;

  @IsOptional()
  @IsString()
  ministryCode?: string | null;

  @IsBoolean()
  @Equals(true)
  consent!: boolean;
}

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
    expect(value.location).toBeInstanceOf(LocationDto);
    expect(value.complainant).toBeInstanceOf(ComplainantDto);
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
