import { isRecord } from '../codegen/refs.js';
import { objectAt } from './operations.js';
import type { Change, JsonValue, SchemaChangeKind } from './report.js';
import { diffSchema } from './schema-diff.js';
import { type ComponentUsage, componentKey, type UsageContext } from './usage.js';

type SchemaChange = Change<SchemaChangeKind>;

const BOTH: ReadonlySet<UsageContext> = new Set(['request', 'response']);

/**
 * Component schemas added, removed or changed, and the schemas inside component parameters,
 * request bodies and responses. Severity follows where each component is used (in either
 * version); a component used nowhere is judged as if used everywhere.
 */
export function diffComponents(
  before: JsonValue,
  after: JsonValue,
  usage: { before: ComponentUsage; after: ComponentUsage },
): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const section = (document: JsonValue, name: string) =>
    objectAt(objectAt(document, 'components'), name);
  const contextsOf = (key: string): ReadonlySet<UsageContext> => {
    const contexts = new Set([...(usage.before.get(key) ?? []), ...(usage.after.get(key) ?? [])]);
    return contexts.size > 0 ? contexts : BOTH;
  };
  const scope = (key: string) => ({ before, after, contexts: contextsOf(key) });

  const [schemasBefore, schemasAfter] = [section(before, 'schemas'), section(after, 'schemas')];
  for (const [name, schema] of Object.entries(schemasBefore)) {
    if (name in schemasAfter) {
      changes.push(
        ...diffSchema(schema, schemasAfter[name], name, scope(componentKey('schemas', name))),
      );
    } else {
      changes.push({
        kind: 'schema-removed',
        severity: 'breaking',
        location: name,
        message: `schema removed (components['schemas']['${name}'] no longer exists)`,
      });
    }
  }
  for (const name of Object.keys(schemasAfter)) {
    if (name in schemasBefore) continue;
    changes.push({
      kind: 'schema-added',
      severity: 'info',
      location: name,
      message: 'schema added',
    });
  }

  const [parametersBefore, parametersAfter] = [
    section(before, 'parameters'),
    section(after, 'parameters'),
  ];
  for (const [name, parameter] of Object.entries(parametersBefore)) {
    const next = parametersAfter[name];
    if (!isRecord(parameter) || !isRecord(next)) continue;
    const key = componentKey('parameters', name);
    changes.push(...diffSchema(parameter.schema, next.schema, `parameter ${name}`, scope(key)));
  }

  for (const [sectionName, label] of [
    ['requestBodies', 'request body'],
    ['responses', 'response'],
  ] as const) {
    const [from, to] = [section(before, sectionName), section(after, sectionName)];
    for (const [name, owner] of Object.entries(from)) {
      const next = to[name];
      const key = componentKey(sectionName, name);
      for (const [type, media] of Object.entries(objectAt(owner, 'content'))) {
        const nextMedia = objectAt(next, 'content')[type];
        if (!isRecord(media) || !isRecord(nextMedia)) continue;
        changes.push(
          ...diffSchema(media.schema, nextMedia.schema, `${label} ${name} (${type})`, scope(key)),
        );
      }
    }
  }
  return changes;
}
