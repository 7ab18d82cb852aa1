import { CodegenError } from './errors.js';
import { formatLocation, isRecord, type Location, resolveRef } from './refs.js';

/**
 * Schemas whose type would be defined in terms of itself: `A allOf [B]` with `B allOf [A]`, a
 * schema `allOf` (or `oneOf`/`anyOf`) itself, an array of itself. openapi-typescript turns them
 * into `A: components["schemas"]["B"] & …` aliases that TypeScript rejects (TS2502), so they are
 * refused here, naming the cycle. Recursion through `properties` or `additionalProperties` is
 * fine (an object type may contain itself) and is not followed.
 */
export function assertNoCompositionCycles(document: unknown, file: string): void {
  const state = new Map<object, 'active' | 'done'>();
  for (const start of roots(document)) {
    walk(document, start.node, start.location, [], state, file);
  }
}

interface Step {
  readonly node: object;
  readonly location: Location;
  /** How this step was reached from the previous one (`allOf[0]`, `$ref`, `items`). */
  readonly via: string;
}

/** Where cycles are searched from: every component schema (an inline schema can only join a cycle through one). */
function roots(document: unknown): { node: unknown; location: Location }[] {
  if (!isRecord(document)) return [];
  const found: { node: unknown; location: Location }[] = [];
  const schemas = isRecord(document.components) ? document.components.schemas : undefined;
  if (isRecord(schemas)) {
    for (const [name, schema] of Object.entries(schemas)) {
      found.push({ node: schema, location: ['components', 'schemas', name] });
    }
  }
  return found;
}

const COMPOSITIONS = ['allOf', 'oneOf', 'anyOf'] as const;
/** Longest `$ref`/`allOf` chain followed (keeps the recursion far from the stack limit). */
const MAX_CHAIN = 1_000;

function walk(
  document: unknown,
  node: unknown,
  location: Location,
  path: readonly Step[],
  state: Map<object, 'active' | 'done'>,
  file: string,
  via = '',
): void {
  if (!isRecord(node)) return;
  const seen = state.get(node);
  if (seen === 'done') return;
  const step: Step = { node, location, via };
  if (seen === 'active') throw cycleError([...path, step], file);
  if (path.length >= MAX_CHAIN) {
    throw new CodegenError(
      `"${file}" composes schemas more than ${MAX_CHAIN} levels deep (from ${formatLocation(path[0]?.location ?? location)}).`,
      {
        hint: 'A real OpenAPI document is far shallower: check the spec for generated or hostile content.',
      },
    );
  }
  state.set(node, 'active');
  const next = [...path, step];
  if (typeof node.$ref === 'string') {
    let target: unknown;
    try {
      target = resolveRef(document, node.$ref, location);
    } catch {
      target = undefined; // validate reports unresolved references with their own message
    }
    walk(document, target, refLocation(node.$ref), next, state, file, `$ref ${node.$ref}`);
  } else {
    for (const keyword of COMPOSITIONS) {
      const members = node[keyword];
      if (!Array.isArray(members)) continue;
      members.forEach((member, index) => {
        walk(
          document,
          member,
          [...location, keyword, index],
          next,
          state,
          file,
          `${keyword}[${index}]`,
        );
      });
    }
    if (isRecord(node.items)) {
      walk(document, node.items, [...location, 'items'], next, state, file, 'items');
    }
  }
  state.set(node, 'done');
}

function refLocation(ref: string): Location {
  return ref
    .slice(2)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function cycleError(path: readonly Step[], file: string): CodegenError {
  const last = path[path.length - 1] as Step;
  const start = path.findIndex((step) => step.node === last.node);
  const cycle = path.slice(start);
  // Each `$ref` is a jump: name the place it stands, then where it lands.
  const places: string[] = [];
  let current = formatLocation(cycle[0]?.location ?? []);
  for (const step of cycle.slice(1)) {
    if (step.via.startsWith('$ref')) places.push(current);
    current = formatLocation(step.location);
  }
  places.push(current);
  const described = places.join(' → ');
  return new CodegenError(
    `"${file}" defines a schema in terms of itself: ${described}. TypeScript cannot express such a type, so nothing was generated.`,
    {
      hint: 'Break the cycle: remove one of these allOf/oneOf/anyOf/items references, or move it under `properties` (an object may contain itself).',
    },
  );
}
