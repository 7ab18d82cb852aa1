/** Whether a value is a plain object (`{…}` or `Object.create(null)`): what JSON objects parse to. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  const proto = typeof value === 'object' && value !== null && Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
