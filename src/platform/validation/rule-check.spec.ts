import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  Allow,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Min,
  validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  Validate,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
} from 'class-validator';
import { VALIDATOR_OPTIONS } from '../errors/validation';
import { passesEveryRule } from './rule-check';

const OPTIONS: ValidatorOptions = VALIDATOR_OPTIONS;

class Item {
  @IsInt()
  @Min(1)
  quantity!: number;
}

class Order {
  @IsString()
  @Length(2, 20)
  name!: string;

  @IsOptional()
  @IsString()
  note?: string | null;

  @IsDefined()
  @ValidateNested()
  @Type(() => Item)
  items!: Item[];

  @IsOptional()
  @IsInt({ each: true })
  codes?: number[];

  @ValidateIf((o: Order) => o.name === 'gift')
  @IsString()
  wrapping?: string;
}

@ValidatorConstraint({ name: 'slow', async: true })
class SlowRule implements ValidatorConstraintInterface {
  async validate(): Promise<boolean> {
    return true;
  }
}

class Slow {
  @Validate(SlowRule)
  field!: string;
}

class Anything {
  @Allow()
  field!: unknown;
}

class Fragile {
  // Throws when `meta` is missing: class-validator throws too, whatever IsOptional says.
  @ValidateIf((o: Fragile) => (o.meta as { kind: string }).kind === 'x')
  @IsOptional()
  @IsString()
  v?: string;

  @IsOptional()
  meta?: unknown;
}

class NoRules {
  field = 'x';
}

@ValidatorConstraint({ name: 'throws' })
class ThrowingRule implements ValidatorConstraintInterface {
  validate(): boolean {
    throw new Error('rule failed to run');
  }
}

class Throwing {
  @Validate(ThrowingRule)
  field!: string;
}

const order = (over: Record<string, unknown> = {}) =>
  plainToInstance(Order, { name: 'Asha', items: [{ quantity: 2 }], ...over });

async function classValidatorPasses(object: object, options = OPTIONS): Promise<boolean> {
  return (await validate(object, options)).length === 0;
}

describe('passesEveryRule: class-validator verdict, in a few microseconds, yes-only', () => {
  it.each([
    ['a valid order', {}, true],
    ['an optional note left out, or null', { note: null }, true],
    ['a wrong optional note', { note: 5 }, false],
    ['a name too short', { name: 'A' }, false],
    ['an unknown field', { extra: 1 }, false],
    ['an item refused by its own rules', { items: [{ quantity: 0 }] }, false],
    ['an item that is not an object', { items: [3] }, false],
    ['items missing', { items: undefined }, false],
    ['every code an integer', { codes: [1, 2] }, true],
    ['one code not an integer', { codes: [1, 'x'] }, false],
    ['wrapping not checked unless a gift', { wrapping: 7 }, true],
    ['wrapping checked for a gift', { name: 'gift', wrapping: 7 }, false],
    ['a nested item with an unknown field', { items: [{ quantity: 1, colour: 'red' }] }, false],
  ])('%s: %s', async (_what, over, expected) => {
    const object = order(over);
    expect(passesEveryRule(object, OPTIONS)).toBe(expected);
    expect(await classValidatorPasses(object)).toBe(expected);
  });

  it('answers "ask class-validator" for what it does not model, even where that passes', async () => {
    const cases: [object, ValidatorOptions][] = [
      // class-validator lets an own `constructor` key through its whitelist (a quirk).
      [Object.assign(order(), { constructor: Order }), OPTIONS],
      [order(), { ...OPTIONS, strictGroups: true }],
      [order(), { ...OPTIONS, skipMissingProperties: true }],
      [order(), { ...OPTIONS, whitelist: false }],
      [order(), { ...OPTIONS, forbidNonWhitelisted: false }],
      [plainToInstance(Slow, { field: 'x' }), OPTIONS],
      [plainToInstance(Anything, { field: 'x' }), OPTIONS],
    ];
    for (const [object, options] of cases) {
      expect(await classValidatorPasses(object, options)).toBe(true);
      expect(passesEveryRule(object, options)).toBe(false);
    }
  });

  it('never passes what class-validator refuses or throws on', async () => {
    expect(passesEveryRule(new NoRules(), OPTIONS)).toBe(false);
    expect(await classValidatorPasses(new NoRules())).toBe(false);
    for (const value of [null, undefined, 'text', 7, [order()]]) {
      expect(passesEveryRule(value, OPTIONS)).toBe(false);
    }
    const fragile = plainToInstance(Fragile, {});
    expect(passesEveryRule(fragile, OPTIONS)).toBe(false);
    expect(() => validate(fragile, OPTIONS)).toThrow(TypeError);
    const throwing = plainToInstance(Throwing, { field: 'x' });
    expect(passesEveryRule(throwing, OPTIONS)).toBe(false);
    // class-validator throws it (synchronously, from validate): the pipe fails as it always did.
    expect(() => validate(throwing, OPTIONS)).toThrow('rule failed to run');
  });
});
