import { Transform, Type } from 'class-transformer';
import { IsDefined, IsString, Length, ValidateNested } from 'class-validator';
import { ValidationFailedError } from './domain-error';
import { validateAs } from './validation';

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
