/** A key as shown in a message's `at`: cut, so a 1 MB key does not make a 1 MB message. */
export const clip = (key: string) => (key.length > 64 ? `${key.slice(0, 64)}…` : key);

/** Does nothing (a callback that must exist). */
export const noop = () => undefined;

/** Whether a value is a plain object (`{…}` or `Object.create(null)`): what JSON objects parse to. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  const proto = typeof value === 'object' && value !== null && Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
