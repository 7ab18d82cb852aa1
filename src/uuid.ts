/**
 * Ids the spec declares `format: uuid`. Resource methods type such an argument as `UuidArg`: any
 * `string` is accepted (an id read from JSON or a previous result is checked at run time, before
 * anything is sent), but a string literal must at least look like a UUID, so
 * `update('ceo@example.com', …)` does not compile. `isUuid` is the exact check, as a type guard.
 */

/** The RFC 9562 text form: 8-4-4-4-12 hexadecimal digits, any case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A string shaped like a UUID (five dash-separated groups; `isUuid` checks the digits). */
export type Uuid = `${string}-${string}-${string}-${string}-${string}`;

/** A `format: uuid` argument: `string` as is; a string literal only when it is shaped like a UUID. */
export type UuidArg<S extends string> = string extends S ? string : S extends Uuid ? S : Uuid;

/** Whether `value` is a UUID as the API expects it in a `format: uuid` id. */
export function isUuid(value: unknown): value is Uuid {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
