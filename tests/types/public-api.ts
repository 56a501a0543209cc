// Compiled by `tsc` (never run): every export of every public entry has the same type in the
// hand-written declarations (types/*.d.ts: what users and TypeDoc see, with the documentation)
// as in the JSDoc of the code that implements it (js/**: what `checkJs` checks the code against).
// The two are written separately; this file holds them to each other, both ways.
//
// For each entry of package.json "exports", the module as its "node" file's JSDoc types it and
// the module as its "types" file declares it are compared export by export: the same export
// names on both sides, and each export the same type. Every other runtime's file of the entry is
// compared with the "node" one the same way (tests/types/public-api.test.js checks that the
// lists below follow package.json). Each difference is printed by tsc, with its entry, e.g.
//   Type 'string' does not satisfy the expected type '{ "ivschat-wasm": "ChatRoom: new(0).maxMessageLength: only in the implementation"; }'.
// read as: the first parameter of ChatRoom's constructor has a maxMessageLength that the
// declaration lacks. `(0)` is a parameter, `: returns` a return type, `(resolved)` what a
// promise resolves with, `#` a class's instances, `(static)` its static members, `[]` elements.
//
// What "the same" means, at every level down to 10 deep:
// - objects: the same property names, each optional on both sides or on neither, each read-only
//   on both sides or on neither, each property compared again; and assignable both ways;
// - functions: the same number of parameters, optional alike, each parameter and the return
//   type compared again (overloaded and generic signatures: assignable both ways);
// - classes: constructor parameters, static members and the public instance members, compared
//   as objects (#private fields make classes nominal in TypeScript, so only their public shape
//   can be compared);
// - unions: nullable alike, and each member paired with the one of the other side it is
//   assignable both ways with, and compared again; promises by what they resolve with;
// - `any` matches only `any`; everything else: assignable both ways.
// Types exported only as types (interfaces, typedefs) are compared where an export uses them.
// The differences kept on purpose are listed, with their reasons, in `Accepted` below.

// ---- the comparison -------------------------------------------------------------------------

/** Exactly the same type (TypeScript's own identity relation). */
type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Each assignable to the other. */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
type AnyFunction = (...args: any) => any;
type AnyClass = abstract new (...args: any) => any;
/** Depth counter: a tuple one longer per level. */
type Level = unknown[];
type MaxDepth = 10;

type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
type ReadonlyKeys<T> = {
  [K in keyof T]-?: Identical<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }> extends true ? never : K;
}[keyof T];
/** The public members of an object or class instance, as a plain object type. */
type Shape<T> = { [K in keyof T]: T[K] };
/** The static members of a class (not `prototype`, which is its instance type again). */
type Statics<C> = Omit<Shape<C>, 'prototype'>;

type Key<K> = string extends K ? '[string]' : number extends K ? '[number]' : K extends string | number ? `${K}` : '[symbol]';

/**
 * The differences between the implementation's type `I` and the declared type `D`, each a
 * string naming where it is; `never` when there is none.
 */
export type Differences<I, D, Path extends string, L extends Level = []> =
  Identical<I, D> extends true
    ? never
    : IsAny<I> extends true
      ? `${Path}: any in the implementation`
      : IsAny<D> extends true
        ? `${Path}: any in the declaration`
        : L['length'] extends MaxDepth
          ? Unassignable<I, D, Path>
          : [I, D] extends [infer IC extends AnyClass, infer DC extends AnyClass]
            ? ClassDifferences<IC, DC, Path, L>
            : OrUnassignable<I, D, Path, Parts<I, D, Path, L>>;

/** The differences found in the parts of `I` and `D`. */
type Parts<I, D, Path extends string, L extends Level> =
  [I, D] extends [infer IF extends AnyFunction, infer DF extends AnyFunction]
      ? FunctionDifferences<IF, DF, Path, L>
      : [I, D] extends [PromiseLike<infer IP>, PromiseLike<infer DP>]
        ? Differences<IP, DP, `${Path} (resolved)`, [...L, unknown]>
        : [I, D] extends [infer IA extends readonly unknown[], infer DA extends readonly unknown[]]
          ? ArrayDifferences<IA, DA, Path, L>
          : [IsUnion<I> | IsUnion<D>] extends [false]
            ? [I, D] extends [object, object] ? ObjectDifferences<I, D, Path, L> : never
            : Identical<Nullish<I>, Nullish<D>> extends false
              ? `${Path}: ${Describe<Nullish<I>>} in the implementation, ${Describe<Nullish<D>>} in the declaration`
              : [Nullish<I>] extends [never]
                ? UnionDifferences<I, D, Path, L>
                : Differences<NonNullable<I>, NonNullable<D>, Path, [...L, unknown]>;

/**
 * Unions: each member of one side paired with the member of the other it is assignable both
 * ways with, and the pair compared (so `{ a?: string } | number` and `{} | number` differ).
 */
type UnionDifferences<I, D, Path extends string, L extends Level> =
  | (I extends unknown ? Paired<I, Partner<I, D>, Path, L> : never)
  | (D extends unknown ? ([Partner<D, I>] extends [never] ? `${Path}: a member of the declaration's union is not in the implementation's` : never) : never);
type Partner<X, Among> = Among extends unknown ? (Mutual<Public<X>, Public<Among>> extends true ? Among : never) : never;
type Paired<X, P, Path extends string, L extends Level> =
  [P] extends [never] ? `${Path}: a member of the implementation's union is not in the declaration's`
    : IsUnion<P> extends true ? never
      : Differences<X, P, Path, [...L, unknown]>;

/** Unions with `undefined` or `null` (`T | undefined`): the nullish members, then the others compared. */
type Nullish<T> = Extract<T, null | undefined>;
type Describe<T> = [T] extends [never] ? 'not nullable' : [T] extends [undefined] ? 'with undefined' : [T] extends [null] ? 'with null' : 'with null and undefined';

/** `I` and `D` are not assignable both ways, and no difference in their parts says why. */
type Unassignable<I, D, Path extends string> = Mutual<Public<I>, Public<D>> extends true ? never : `${Path}: not assignable both ways`;
/** An object's public members (a class instance with #private fields is assignable only to its own class). */
type Public<T> = T extends AnyFunction ? T : T extends object ? Shape<T> : T;
type OrUnassignable<I, D, Path extends string, Found> = [Found] extends [never] ? Unassignable<I, D, Path> : Found;

type ObjectDifferences<I, D, Path extends string, L extends Level> =
  | { [K in Exclude<keyof I, keyof D>]: `${Path}.${Key<K>}: only in the implementation` }[Exclude<keyof I, keyof D>]
  | { [K in Exclude<keyof D, keyof I>]: `${Path}.${Key<K>}: only in the declaration` }[Exclude<keyof D, keyof I>]
  | {
      [K in keyof I & keyof D]:
        | (K extends OptionalKeys<I> ? (K extends OptionalKeys<D> ? never : `${Path}.${Key<K>}: optional in the implementation only`)
            : K extends OptionalKeys<D> ? `${Path}.${Key<K>}: optional in the declaration only` : never)
        | (K extends ReadonlyKeys<I> ? (K extends ReadonlyKeys<D> ? never : `${Path}.${Key<K>}: read-only in the implementation only`)
            : K extends ReadonlyKeys<D> ? `${Path}.${Key<K>}: read-only in the declaration only` : never)
        | Differences<Value<I, K>, Value<D, K>, `${Path}.${Key<K>}`, [...L, unknown]>;
    }[keyof I & keyof D];
/** A member's type; `undefined` is left out only where `?` implies it (an optional member or parameter). */
type Value<T, K extends keyof T> = K extends OptionalKeys<T> ? Exclude<T[K], undefined> : T[K];

type ArrayDifferences<I extends readonly unknown[], D extends readonly unknown[], Path extends string, L extends Level> =
  | (I extends unknown[] ? (D extends unknown[] ? never : `${Path}: read-only in the declaration only`) : D extends unknown[] ? `${Path}: read-only in the implementation only` : never)
  | (number extends I['length'] | D['length']
      ? Differences<I[number], D[number], `${Path}[]`, [...L, unknown]>
      : ParameterDifferences<I, D, Path, L>);

/** Elements of tuples (parameter lists): their number and which are optional, then each. */
type ParameterDifferences<I extends readonly unknown[], D extends readonly unknown[], Path extends string, L extends Level> =
  Identical<I['length'], D['length']> extends false
    ? `${Path}: ${Required<I>['length']} parameters (${Count<I>}) in the implementation, ${Required<D>['length']} (${Count<D>}) in the declaration`
    : {
        [K in keyof I & keyof D & `${number}`]: Differences<Value<I, K>, Value<D, K>, `${Path}(${K})`, [...L, unknown]>;
      }[keyof I & keyof D & `${number}`];
/** How many elements a tuple needs, as a word for messages. */
type Count<T extends readonly unknown[]> = number extends T['length'] ? 'rest' : T extends readonly [] ? 'none required' : Partial<T> extends T ? 'all optional' : T['length'] extends Required<T>['length'] ? 'all required' : 'some optional';

type FunctionDifferences<I extends AnyFunction, D extends AnyFunction, Path extends string, L extends Level> =
  | ParameterDifferences<Parameters<I>, Parameters<D>, Path, L>
  | Differences<ReturnType<I>, ReturnType<D>, `${Path}: returns`, [...L, unknown]>
  | ObjectDifferences<Shape<I>, Shape<D>, Path, L>;

type ClassDifferences<I extends AnyClass, D extends AnyClass, Path extends string, L extends Level> =
  | ParameterDifferences<ConstructorParameters<I>, ConstructorParameters<D>, `${Path}: new`, L>
  | ObjectDifferences<Statics<I>, Statics<D>, `${Path} (static)`, L>
  | Differences<Shape<InstanceType<I>>, Shape<InstanceType<D>>, `${Path}#`, [...L, unknown]>;

/** Every export of an entry: the same names on both sides, each the same type. */
export type ModuleDifferences<I, D> =
  | { [K in Exclude<keyof I, keyof D>]: `${Key<K>}: exported by the implementation, not declared` }[Exclude<keyof I, keyof D>]
  | { [K in Exclude<keyof D, keyof I>]: `${Key<K>}: declared, not exported by the implementation` }[Exclude<keyof D, keyof I>]
  | { [K in keyof I & keyof D]: Differences<I[K], D[K], Key<K>> }[keyof I & keyof D];

/**
 * Differences kept on purpose, by entry, each with its reason. Nothing else may differ, and an
 * entry here that is no longer found fails too (so the list cannot outlive its reasons).
 */
type Accepted = {
  'ivschat-wasm': {
    'init: returns (resolved): not assignable both ways': 'init resolves with the loaded core, an internal object the package calls itself: declared unknown';
  };
  'ivschat-wasm/backend': {
    'init: returns (resolved): not assignable both ways': 'as for the main entry: the core is internal';
    'initAdmin: returns (resolved): not assignable both ways': 'as init';
    'initMessageReview: returns (resolved): not assignable both ways': 'as init';
    'initHistory: returns (resolved): not assignable both ways': 'as init';
  };
};

/**
 * What an entry must be: 'no difference'. Otherwise tsc prints every difference found, as
 * `{ "<entry>": "<export and where in it>: <what differs>" }`.
 */
type Report<Entry extends string, Found> = Listed<
  Entry,
  | Exclude<Found, keyof AcceptedOf<Entry>>
  | { [K in Exclude<keyof AcceptedOf<Entry>, Found> & string]: `${K} (accepted in tests/types/public-api.ts, but no longer found: remove it from Accepted)` }[Exclude<keyof AcceptedOf<Entry>, Found> & string]
>;
type AcceptedOf<Entry extends string> = Entry extends keyof Accepted ? Accepted[Entry] : {};
type Listed<Entry extends string, T> = [T] extends [never] ? 'no difference' : T extends unknown ? { [E in Entry]: T } : never;

// ---- the entries ---------------------------------------------------------------------------
// package.json "exports": each entry's "types" file against its file (one for every runtime:
// package.json's "imports" picks only where the wasm comes from, js/wasm-source/).
// tests/types/public-api.test.js checks that these lists follow package.json.

type Main = typeof import('../../js/public.js');
'no difference' satisfies Report<'ivschat-wasm', ModuleDifferences<Main, typeof import('../../types/index.js')>>;
// The script-tag build's global, IvsChatWasm (types/global.d.ts: typeof types/index.d.ts).
'no difference' satisfies Report<'ivschat-wasm (script tag)', ModuleDifferences<typeof import('../../js/entry/script-tag.js'), Main>>;

'no difference' satisfies Report<'ivschat-wasm/backend', ModuleDifferences<typeof import('../../js/backend/index.js'), typeof import('../../types/backend.js')>>;

'no difference' satisfies Report<'ivschat-wasm/local', ModuleDifferences<typeof import('../../js/local/index.js'), typeof import('../../types/local.js')>>;

'no difference' satisfies Report<'ivschat-wasm/react', ModuleDifferences<typeof import('../../js/react/use-chat-room.js'), typeof import('../../types/react.js')>>;
