/**
 * Validation of the stand-in's batch body (`POST …/allow_policies/batch`), written out from the
 * spec by hand like stand-in-validation.ts: four required arrays (`deletes`, `patches`, `puts`,
 * `posts`), each at most `maxItems` long; `deletes` items are `{ id }`, `patches` items an update
 * body plus `id`, `puts` items a complete policy plus `id`, `posts` items a create body. Every
 * problem is reported with a JSON pointer to the item (`/patches/3/pattern`).
 */
import {
  type ApiMessage,
  STAND_IN_ERROR_CODES as CODES,
  type Rejection,
  reject,
} from './stand-in-codes.js';
import {
  type AllowPolicyWritable,
  isUuid,
  validateCreateBody,
  validateUpdateBody,
} from './stand-in-validation.js';

type Fields = Partial<AllowPolicyWritable>;

export interface BatchRequest {
  readonly deletes: readonly { readonly id: string }[];
  readonly patches: readonly { readonly id: string; readonly fields: Fields }[];
  readonly puts: readonly { readonly id: string; readonly fields: Fields }[];
  readonly posts: readonly Fields[];
}

export type ValidatedBatch =
  | { ok: true; batch: BatchRequest }
  | { ok: false; rejection: Rejection };

const ARRAYS = ['deletes', 'patches', 'puts', 'posts'] as const;

export function validateBatchBody(body: unknown, maxItems: number): ValidatedBatch {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const message =
      body === undefined
        ? 'Request body is required: send a JSON object with deletes, patches, puts and posts arrays.'
        : 'Request body must be a JSON object with deletes, patches, puts and posts arrays.';
    return { ok: false, rejection: reject(400, CODES.invalidBody, message) };
  }
  const record = body as Record<string, unknown>;
  const errors: ApiMessage[] = [];
  for (const name of Object.keys(record)) {
    if (!(ARRAYS as readonly string[]).includes(name)) {
      errors.push(
        at(
          `/${name}`,
          CODES.unknownField,
          `Unknown field '${name}'; a batch has ${ARRAYS.join(', ')}.`,
        ),
      );
    }
  }
  for (const name of ARRAYS) {
    const value = record[name];
    if (value === undefined) {
      errors.push(
        at(`/${name}`, CODES.missingField, `Field '${name}' is required (send [] when unused).`),
      );
    } else if (!Array.isArray(value)) {
      errors.push(at(`/${name}`, CODES.invalidField, `Field '${name}' must be an array.`));
    } else if (value.length > maxItems) {
      errors.push(
        at(
          `/${name}`,
          CODES.invalidField,
          `Field '${name}' must have at most ${maxItems} items, got ${value.length}.`,
        ),
      );
    }
  }
  if (errors.length > 0) return { ok: false, rejection: { status: 400, errors } };
  const arrays = record as Record<(typeof ARRAYS)[number], unknown[]>;
  const deletes = arrays.deletes.map((item, index) =>
    withId(item, `/deletes/${index}`, errors, onlyId),
  );
  const patches = arrays.patches.map((item, index) =>
    withId(item, `/patches/${index}`, errors, (rest) =>
      Object.keys(rest).length === 0 ? { ok: true, fields: {} } : validateUpdateBody(rest),
    ),
  );
  const puts = arrays.puts.map((item, index) =>
    withId(item, `/puts/${index}`, errors, (rest) => validateCreateBody(rest)),
  );
  const posts = arrays.posts.map((item, index) => {
    const validated = validateCreateBody(item);
    if (validated.ok) return validated.fields;
    errors.push(...prefixed(validated.rejection.errors, `/posts/${index}`));
    return {};
  });
  if (errors.length > 0) return { ok: false, rejection: { status: 400, errors } };
  return {
    ok: true,
    batch: {
      deletes: deletes.map(({ id }) => ({ id })),
      patches,
      puts,
      posts,
    },
  };
}

type FieldCheck = { ok: true; fields: Fields } | { ok: false; rejection: Rejection };

/** A `deletes` item is `{ id }` and nothing else. */
function onlyId(rest: Record<string, unknown>): FieldCheck {
  const [extra] = Object.keys(rest);
  if (extra === undefined) return { ok: true, fields: {} };
  return {
    ok: false,
    rejection: {
      status: 400,
      errors: [
        at(`/${extra}`, CODES.unknownField, `Unknown field '${extra}'; a delete item is { id }.`),
      ],
    },
  };
}

/** An item `{ id, …rest }`: the id must be a UUID, the rest passes `check`. */
function withId(
  item: unknown,
  pointer: string,
  errors: ApiMessage[],
  check: (rest: Record<string, unknown>) => FieldCheck,
): { id: string; fields: Fields } {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    errors.push(at(pointer, CODES.invalidBody, `Item ${pointer} must be a JSON object.`));
    return { id: '', fields: {} };
  }
  const { id, ...rest } = item as Record<string, unknown>;
  if (id === undefined) {
    errors.push(
      at(`${pointer}/id`, CODES.missingField, `Field '${pointer.slice(1)}/id' is required.`),
    );
  } else if (typeof id !== 'string' || !isUuid(id)) {
    errors.push(
      at(`${pointer}/id`, CODES.invalidField, `Field '${pointer.slice(1)}/id' must be a UUID.`),
    );
  }
  const checked = check(rest);
  if (!checked.ok) errors.push(...prefixed(checked.rejection.errors, pointer));
  return {
    id: typeof id === 'string' ? id.toLowerCase() : '',
    fields: checked.ok ? checked.fields : {},
  };
}

function prefixed(errors: readonly ApiMessage[], pointer: string): ApiMessage[] {
  return errors.map((error) => ({
    ...error,
    message: `${pointer.slice(1)}: ${error.message}`,
    source: { pointer: `${pointer}${error.source?.pointer ?? ''}` },
  }));
}

function at(pointer: string, code: number, message: string): ApiMessage {
  return { code, message, source: { pointer } };
}
