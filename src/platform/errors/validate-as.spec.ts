import { Transform, Type } from 'class-transformer';
import { IsDefined, IsString, Length, ValidateNested } from 'class-validator';
import { ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from './domain-error';
import { createValidationPipe, validateAs } from './validation';

class PersonDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(2, 100)
  name!: string;
}

class LetterDto {
  @IsDefined()
  @ValidateNested()
  @Type(() => PersonDto)
  from!: PersonDto;

  @IsString()
  @Length(10, 100)
  text!: string;
}

describe('validateAs: a body of another shape, mapped and checked by the same rules as the pipe', () => {
  it('returns the transformed instance', async () => {
    const dto = await validateAs(LetterDto, {
      from: { name: '  Asha ' },
      text: 'Streetlights are off.',
    });
    expect(dto).toBeInstanceOf(LetterDto);
    expect(dto.from.name).toBe('Asha');
  });

  it('names each wrong field as the pipe does, one message per field', async () => {
    const error = await validateAs(LetterDto, { from: {}, text: 'short', extra: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).extra.errors).toEqual([
      { path: 'extra', message: 'is not a known field' },
      { path: 'from.name', message: 'name is required' },
      { path: 'text', message: 'text must be longer than or equal to 10 characters' },
    ]);
  });
});

describe('the global pipe: class-validator asked only for a body the quick check does not pass', () => {
  const pipe = createValidationPipe();
  const body = { type: 'body' as const, metatype: LetterDto, data: undefined };
  let library: jest.SpyInstance;
  beforeEach(() => {
    // The pipe's own class-validator call (Nest's ValidationPipe.validate), under the options
    // Nest really passes it.
    library = jest.spyOn(
      ValidationPipe.prototype as unknown as { validate: () => unknown },
      'validate',
    );
  });
  afterEach(() => library.mockRestore());

  it('passes a valid body without class-validator, transformed', async () => {
    const dto = await pipe.transform(
      { from: { name: ' Asha ' }, text: 'Streetlights are off.' },
      body,
    );
    expect(dto).toBeInstanceOf(LetterDto);
    expect((dto as LetterDto).from.name).toBe('Asha');
    expect(library).not.toHaveBeenCalled();
  });

  it("refuses an invalid one with class-validator's errors", async () => {
    const error = await pipe.transform({ from: {}, text: 'short' }, body).catch((e: unknown) => e);
    expect(library).toHaveBeenCalledTimes(1);
    expect((error as ValidationFailedError).extra.errors).toEqual([
      { path: 'from.name', message: 'name is required' },
      { path: 'text', message: 'text must be longer than or equal to 10 characters' },
    ]);
  });
});
