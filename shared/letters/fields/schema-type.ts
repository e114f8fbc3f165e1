import type * as z from "zod";

/** `T` read-only all the way down: what the domain hands around after checking it. */
export type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The type of what a schema accepts, read-only: one declaration, the schema, serves both. */
export type Parsed<S extends z.ZodType> = DeepReadonly<z.output<S>>;
