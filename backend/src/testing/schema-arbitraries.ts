import fc from 'fast-check';
import { z } from 'zod';

/**
 * Generated payloads for hostile-input tests, derived from the protocol's zod schemas: values
 * of the schema's shape (so that most pass parsing and reach the handlers' rules), and the
 * same values mutated into what an attacker sends (a field dropped or added, a wrong type,
 * oversized, deeply nested, prototype-polluting).
 */

type Def = {
    readonly type: string;
    readonly checks?: readonly { readonly _zod: { readonly def: Record<string, unknown> } }[];
    readonly [key: string]: unknown;
};

function defOf(schema: unknown): Def {
    return (schema as { _zod: { def: Def } })._zod.def;
}

function stringArbitrary(def: Def): fc.Arbitrary<string> {
    let minLength = 0;
    let maxLength = 64;
    for (const check of def.checks ?? []) {
        const c = check._zod.def;
        if (c.check === 'string_format' && c.format === 'regex' && c.pattern instanceof RegExp) {
            return fc.stringMatching(c.pattern);
        }
        if (c.check === 'string_format' && c.format === 'email') {
            return fc.emailAddress();
        }
        if (c.check === 'min_length') {
            minLength = c.minimum as number;
        }
        if (c.check === 'max_length') {
            maxLength = Math.min(c.maximum as number, 300);
        }
        if (c.check === 'length_equals') {
            minLength = maxLength = c.length as number;
        }
    }
    return fc.oneof(
        fc.string({ minLength, maxLength: Math.max(minLength, maxLength) }),
        // base64url-looking text of the lengths keys and signatures have
        fc.constantFrom(43, 86, 88).chain(length => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${length}}$`)))
    );
}

function numberArbitrary(def: Def): fc.Arbitrary<number> {
    let min = -1e6;
    let max = 1e15;
    let integer = false;
    for (const check of def.checks ?? []) {
        const c = check._zod.def;
        if (c.check === 'number_format') {
            integer = true;
        }
        if (c.check === 'greater_than') {
            min = (c.value as number) + (c.inclusive ? 0 : 1);
        }
        if (c.check === 'less_than') {
            max = (c.value as number) - (c.inclusive ? 0 : 1);
        }
    }
    return integer || max - min > 1e9 ? fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) })
        : fc.double({ min, max, noNaN: true });
}

/** Values of the schema's shape; refinements the generator cannot read are left to chance. */
export function arbitraryOf(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
    const def = defOf(schema);
    if (depth > 8) {
        return fc.constant(null);
    }
    const inner = (child: unknown) => arbitraryOf(child as z.ZodType, depth + 1);
    switch (def.type) {
        case 'string': return stringArbitrary(def);
        case 'number': return numberArbitrary(def);
        case 'boolean': return fc.boolean();
        case 'null': return fc.constant(null);
        case 'undefined': return fc.constant(undefined);
        case 'literal': return fc.constantFrom(...(def.values as unknown[]));
        case 'enum': return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
        case 'optional': return fc.option(inner(def.innerType), { nil: undefined });
        case 'nullable': return fc.option(inner(def.innerType), { nil: null });
        case 'default':
        case 'prefault':
        case 'catch':
        case 'readonly':
        case 'nonoptional': return inner(def.innerType);
        case 'pipe': return inner(def.in);
        case 'lazy': return inner((def.getter as () => unknown)());
        case 'array': return fc.array(inner(def.element), { maxLength: 8 });
        case 'tuple': return fc.tuple(...(def.items as unknown[]).map(inner));
        case 'union': return fc.oneof(...(def.options as unknown[]).map(inner));
        case 'intersection': return fc.tuple(inner(def.left), inner(def.right)).map(([left, right]) =>
            typeof left === 'object' && typeof right === 'object' ? { ...left, ...right } : left);
        case 'record': return fc.dictionary(stringArbitrary(defOf(def.keyType)), inner(def.valueType), { maxKeys: 6 });
        case 'object': {
            const shape = def.shape as Record<string, unknown>;
            return fc.record(Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, inner(value)])), {
                requiredKeys: Object.entries(shape).filter(([, value]) => !['optional', 'default'].includes(defOf(value).type)).map(([key]) => key)
            });
        }
        default: return fc.anything({ maxDepth: 2 });
    }
}

/** Text that nests `depth` arrays or objects: parsers and validators must not recurse without bound on it. */
function deeplyNested(depth: number): unknown {
    let value: unknown = 'bottom';
    for (let index = 0; index < depth; index++) {
        value = index % 2 ? [value] : { a: value };
    }
    return value;
}

const pollution: readonly (() => Record<string, unknown>)[] = [
    () => JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, unknown>,
    () => ({ constructor: { prototype: { polluted: 'yes' } } }),
    () => JSON.parse('{"__proto__": {"toString": "not a function", "ok": true}}') as Record<string, unknown>
];

export type Mutation = 'drop a field' | 'add a field' | 'wrong type' | 'oversized' | 'deeply nested' | 'prototype pollution' | 'not an object';

/** A valid-shaped payload changed the way a hostile client would. */
export function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<{ mutation: Mutation; payload: unknown }> {
    const object = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {});
    return fc.tuple(base, fc.nat(), fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: false })).chain(([value, seed, junk]) => {
        const payload = object(value);
        const keys = Object.keys(payload);
        const key = keys.length > 0 ? keys[seed % keys.length] : 'x';
        const options: [Mutation, unknown][] = [
            ['drop a field', Object.fromEntries(Object.entries(payload).filter(([name]) => name !== key))],
            ['add a field', { ...payload, [`extra${seed % 7}`]: junk }],
            ['wrong type', { ...payload, [key]: junk }],
            ['oversized', { ...payload, [key]: seed % 2 ? 'x'.repeat(200_000) : Array.from({ length: 20_000 }, (_, index) => index) }],
            ['deeply nested', { ...payload, [key]: deeplyNested(500 + seed % 1_000) }],
            ['prototype pollution', Object.assign(pollution[seed % pollution.length](), payload)],
            ['not an object', junk]
        ];
        return fc.constantFrom(...options).map(([mutation, mutatedPayload]) => ({ mutation, payload: mutatedPayload }));
    });
}
