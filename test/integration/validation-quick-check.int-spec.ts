import 'reflect-metadata';
import { DECORATORS } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import {
  getMetadataStorage,
  validate,
  ValidationTypes,
  type ValidatorOptions,
} from 'class-validator';
// Every DTO of the app, registered with class-validator as its modules are imported.
import '../../src/app.module';
import { VALIDATOR_OPTIONS } from '../../src/platform/errors/validation';
import { passesEveryRule } from '../../src/platform/validation/rule-check';

/**
 * The quick check (passesEveryRule) against class-validator itself, on every DTO the hub
 * registers: for thousands of bodies built from the DTOs' own rules and examples, the quick
 * check passes exactly those class-validator finds nothing wrong with. Passing one that
 * class-validator refuses would let a bad body in; refusing one it passes would only waste the
 * quick check, and is caught here too so that the saving cannot silently disappear.
 */
/** The options the pipe and validateAs validate every body with. */
const OPTIONS: ValidatorOptions = VALIDATOR_OPTIONS;

type Ctor = new () => object;
type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];
type Plain = Record<string, unknown>;

const storage = getMetadataStorage() as unknown as {
  validationMetadatas: Map<unknown, ValidationMetadata[]>;
};

/** Every class with validation rules, once the whole app is loaded. */
function dtoClasses(): Ctor[] {
  return [...storage.validationMetadatas.keys()].filter((k): k is Ctor => typeof k === 'function');
}

function rulesOf(cls: Ctor): ValidationMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined);
}

const GENERIC: unknown[] = [
  undefined,
  null,
  '',
  '   ',
  'a',
  'ab',
  ' Streetlights are off on the main road ',
  'a\u200bb hidden',
  'x'.repeat(300),
  0,
  1,
  -1,
  7,
  20,
  1000,
  1.5,
  '20',
  true,
  false,
  'true',
  {},
  [],
  ['a'],
  '9876543210',
  '+91 98765 43210',
  '09',
  '162',
  '226001',
  'MUNICIPAL_SERVICES',
  'asha@example.in',
  'not an e-mail',
  '2026-11-01',
  '2026-11-01T00:00:00.000Z',
  'CPGRAMS',
  'UP_IGRS',
  'RESOLVED',
  '5f0c9a4e-8f0b-4b8e-9a55-2f4c4c6f6a11',
  'https://portal.example.gov.in/callback',
];

/** Values worth trying for one property: the generic ones, its example, its rules' edges. */
function candidates(cls: Ctor, property: string, rules: ValidationMetadata[]): unknown[] {
  const out = [...GENERIC];
  const swagger = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, cls.prototype, property) as
    { example?: unknown; enum?: unknown[]; default?: unknown } | undefined;
  if (swagger?.example !== undefined) out.push(swagger.example);
  if (swagger?.default !== undefined) out.push(swagger.default);
  if (Array.isArray(swagger?.enum)) out.push(...swagger.enum.slice(0, 3));
  for (const rule of rules) {
    for (const c of rule.constraints ?? []) {
      if (typeof c === 'number') out.push(c - 1, c, c + 1, String(c), 'x'.repeat(Math.max(c, 0)));
      else if (Array.isArray(c)) out.push(...c.slice(0, 3), c);
      else if (typeof c === 'string' || typeof c === 'boolean') out.push(c);
    }
  }
  return out;
}

/** The class `@Type` gives a nested property, found the way the pipe builds it. */
function nestedClass(cls: Ctor, property: string): Ctor | undefined {
  const one = (plainToInstance(cls, { [property]: {} }) as Plain)[property];
  const many = (plainToInstance(cls, { [property]: [{}] }) as Plain)[property];
  const found = [one, Array.isArray(many) ? many[0] : undefined].find(
    (v) => v instanceof Object && v.constructor !== Object,
  ) as object | undefined;
  return found?.constructor as Ctor | undefined;
}

interface Shape {
  cls: Ctor;
  properties: { name: string; values: unknown[] }[];
  /** The first value of each property that class-validator finds nothing wrong with. */
  base: Plain;
}

async function errorsAt(cls: Ctor, plain: Plain, property: string): Promise<number> {
  const errors = await validate(plainToInstance(cls, plain), OPTIONS);
  return errors.filter((e) => e.property === property).length;
}

async function shapeOf(cls: Ctor, seen: Map<Ctor, Shape>, depth = 0): Promise<Shape> {
  const known = seen.get(cls);
  if (known) return known;
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of rulesOf(cls)) {
    byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  }
  const shape: Shape = { cls, properties: [], base: {} };
  seen.set(cls, shape);
  for (const [name, rules] of byProperty) {
    let values = candidates(cls, name, rules);
    if (rules.some((r) => r.type === ValidationTypes.NESTED_VALIDATION) && depth < 3) {
      const type = nestedClass(cls, name);
      if (type) {
        const inner = await shapeOf(type, seen, depth + 1);
        const nested = variants(inner, 6);
        values = [...values, inner.base, [inner.base], [inner.base, nested[1]], ...nested];
      }
    }
    shape.properties.push({ name, values });
  }
  for (const { name, values } of shape.properties) {
    for (const value of values) {
      if ((await errorsAt(cls, { ...shape.base, [name]: value }, name)) === 0) {
        if (value !== undefined) shape.base[name] = value;
        break;
      }
    }
  }
  return shape;
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The base, each property set to each value in turn, an unknown field, then random mixes. */
function variants(shape: Shape, mixes: number): Plain[] {
  const out: Plain[] = [shape.base, { ...shape.base, unknownField: 'x' }];
  for (const { name, values } of shape.properties) {
    for (const value of values) {
      const body: Plain = { ...shape.base, [name]: value };
      if (value === undefined) delete body[name];
      out.push(body);
    }
  }
  const next = random(shape.properties.length * 7919 + out.length);
  for (let i = 0; i < mixes; i++) {
    const body: Plain = { ...shape.base };
    for (const { name, values } of shape.properties) {
      if (next() < 0.3) body[name] = values[Math.floor(next() * values.length)];
    }
    out.push(body);
  }
  return out;
}

describe('quick validation check: the same verdict as class-validator on every DTO', () => {
  it('passes exactly the bodies class-validator passes', async () => {
    const classes = dtoClasses();
    expect(classes.length).toBeGreaterThan(10);
    const seen = new Map<Ctor, Shape>();
    const disagreements: string[] = [];
    let valid = 0;
    let invalid = 0;
    const validPerClass = new Map<string, number>();
    for (const cls of classes) {
      const shape = await shapeOf(cls, seen);
      for (const body of variants(shape, 150)) {
        const instance = plainToInstance(cls, structuredClone(body));
        const quick = passesEveryRule(instance, OPTIONS);
        const full = (await validate(instance, OPTIONS)).length === 0;
        if (quick !== full) {
          disagreements.push(
            `${cls.name} quick=${quick} class-validator=${full}: ${JSON.stringify(body)}`,
          );
        }
        if (full) {
          valid++;
          validPerClass.set(cls.name, (validPerClass.get(cls.name) ?? 0) + 1);
        } else invalid++;
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Both verdicts were really exercised, and every DTO had bodies class-validator passes.
    expect(valid).toBeGreaterThan(1000);
    expect(invalid).toBeGreaterThan(3000);
    const rarelyValid = classes.map((c) => c.name).filter((n) => (validPerClass.get(n) ?? 0) < 20);
    expect(rarelyValid).toEqual([]);
  });
});
