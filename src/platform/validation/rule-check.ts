import {
  getMetadataStorage,
  ValidationTypes,
  type ValidationArguments,
  type ValidatorOptions,
} from 'class-validator';

/**
 * A yes-only answer to "would class-validator find nothing wrong with this object?", in a few
 * microseconds instead of class-validator's tens (it filters every registered class's metadata
 * and groups it again on every call, for every nested object).
 *
 * The rules are the DTOs' decorators, read once per class from class-validator's own metadata,
 * and each is checked by class-validator's own constraint (its `validate` function): nothing is
 * stated twice. Only the walk is ours, the walk of `ValidationExecutor` for the options the hub
 * validates with (whitelist, forbidNonWhitelisted, forbidUnknownValues, no groups, nothing
 * skipped). `true` means every rule passed; `false` means "ask class-validator", which then
 * finds the errors and words them: a refusal is never decided here alone. Anything this walk
 * does not model (another option, a promise or async rule, a whitelist or promise decorator,
 * a class without rules) answers `false`. Schemas (`registerSchema`) are not used by the hub.
 */
export function passesEveryRule(object: unknown, options: ValidatorOptions): boolean {
  return modelled(options) && objectPasses(object);
}

/** The options whose walk is modelled here; any other setting goes to class-validator. */
function modelled(o: ValidatorOptions): boolean {
  return (
    o.whitelist === true &&
    o.forbidNonWhitelisted === true &&
    o.forbidUnknownValues !== false &&
    !o.groups?.length &&
    !o.always &&
    !o.strictGroups &&
    !o.skipMissingProperties &&
    !o.skipNullProperties &&
    !o.skipUndefinedProperties
  );
}

type Condition = (object: object, value: unknown) => boolean;

interface Rule {
  property: string;
  constraints: unknown[];
  each: boolean;
  /** The rule's own `validateIf`, if it has one (none or one). */
  conditions: Condition[];
  validate: (value: unknown, args: ValidationArguments) => unknown;
}

interface PropertyPlan {
  name: string;
  /** `@IsOptional` and `@ValidateIf`: when one is false, nothing else on the property runs. */
  conditions: Condition[];
  /** `@IsDefined`, checked first as class-validator does. */
  defined: Rule[];
  rules: Rule[];
  nested: boolean;
}

interface ClassPlan {
  allowed: Set<string>;
  properties: PropertyPlan[];
}

/**
 * `null`: a class whose rules this walk does not model; always asks class-validator. A plan is
 * made at a class's first check and kept: the hub's rules are all decorators, registered when
 * their module is imported, before any request. A rule registered later (`registerDecorator` at
 * run time, on the class or a parent) would not be in the plan.
 */
const plans = new WeakMap<object, ClassPlan | null>();

function planFor(constructor: unknown): ClassPlan | null {
  if (typeof constructor !== 'function') return null;
  let plan = plans.get(constructor);
  if (plan === undefined) {
    plan = compile(constructor);
    plans.set(constructor, plan);
  }
  return plan;
}

type Storage = ReturnType<typeof getMetadataStorage>;

/** The same metadata, for the same class and options, as `ValidationExecutor.execute` reads. */
function compile(
  constructor: Parameters<Storage['getTargetValidationMetadatas']>[0],
): ClassPlan | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(
    constructor,
    undefined as unknown as string,
    false,
    false,
    undefined,
  );
  if (metadatas.length === 0) return null;
  const byName = new Map<string, PropertyPlan>();
  for (const metadata of metadatas) {
    const name = metadata.propertyName;
    let property = byName.get(name);
    if (!property) {
      property = { name, conditions: [], defined: [], rules: [], nested: false };
      byName.set(name, property);
    }
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        property.conditions.push(metadata.constraints[0] as Condition);
        break;
      case ValidationTypes.NESTED_VALIDATION:
        property.nested = true;
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION: {
        const target =
          metadata.type === ValidationTypes.IS_DEFINED ? property.defined : property.rules;
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return null;
          const instance = constraint.instance as { validate: Rule['validate'] };
          target.push({
            property: name,
            constraints: metadata.constraints,
            each: metadata.each === true,
            conditions: metadata.validateIf ? [metadata.validateIf as Condition] : [],
            validate: instance.validate.bind(instance),
          });
        }
        break;
      }
      default:
        return null;
    }
  }
  return { allowed: new Set(byName.keys()), properties: [...byName.values()] };
}

function objectPasses(object: unknown): boolean {
  if (object === null || typeof object !== 'object') return false;
  const plan = planFor(object.constructor);
  if (!plan) return false;
  for (const key of Object.keys(object)) if (!plan.allowed.has(key)) return false;
  const record = object as Record<string, unknown>;
  for (const property of plan.properties) {
    const value = record[property.name];
    const applies = conditionsHold(property.conditions, object, value);
    if (applies === undefined) return false;
    if (!applies) continue;
    if (!rulesPass(object, value, property.defined) || !rulesPass(object, value, property.rules)) {
      return false;
    }
    if (property.nested && !nestedPasses(value)) return false;
  }
  return true;
}

/**
 * Every condition is evaluated, as class-validator does (it does not stop at the first false);
 * undefined when one throws — class-validator would throw it, so the answer is "ask it". A
 * property's conditions, and a rule's own.
 */
function conditionsHold(
  conditions: Condition[],
  object: object,
  value: unknown,
): boolean | undefined {
  let all = true;
  try {
    for (const condition of conditions) all = condition(object, value) && all;
  } catch {
    return undefined;
  }
  return all;
}

function rulesPass(object: object, value: unknown, rules: Rule[]): boolean {
  for (const rule of rules) {
    const applies = conditionsHold(rule.conditions, object, value);
    if (applies === undefined) return false;
    if (!applies) continue;
    const args: ValidationArguments = {
      targetName: object.constructor?.name,
      property: rule.property,
      object,
      value,
      constraints: rule.constraints as ValidationArguments['constraints'],
    };
    const items = rule.each && isCollection(value) ? [...collectionValues(value)] : [value];
    for (const item of items) if (!holds(rule, item, args)) return false;
  }
  return true;
}

/**
 * A rule's answer, read as class-validator reads it. A promise is not modelled here, and a rule
 * that throws is left to class-validator to throw again where it always has.
 */
function holds(rule: Rule, value: unknown, args: ValidationArguments): boolean {
  try {
    const answer = rule.validate(value, args);
    return !!answer && typeof (answer as { then?: unknown }).then !== 'function';
  } catch {
    return false;
  }
}

function nestedPasses(value: unknown): boolean {
  if (value === undefined) return true;
  if (isCollection(value)) {
    for (const item of collectionValues(value)) if (!nestedPasses(item)) return false;
    return true;
  }
  return value instanceof Object && objectPasses(value);
}

type Collection = unknown[] | Set<unknown> | Map<unknown, unknown>;

function isCollection(value: unknown): value is Collection {
  return Array.isArray(value) || value instanceof Set || value instanceof Map;
}

function collectionValues(value: Collection): Iterable<unknown> {
  return value instanceof Map ? value.values() : value;
}
