import { randomUUID } from 'node:crypto';
import type {
  CallSignatureDeclarationStructure,
  CodeBlockWriter,
  FunctionDeclarationStructure,
  ImportDeclarationStructure,
  InterfaceDeclarationStructure,
  JSDocStructure,
  OptionalKind,
  ParameterDeclarationStructure,
  PropertySignatureStructure,
  StatementStructures,
  TypeAliasDeclarationStructure,
  TypeParameterDeclarationStructure,
  VariableStatementStructure,
} from 'ts-morph';
import type { SecurityAlternatives, ValueRule } from '../../src/metadata.js';
import { neededKinds, type OperationKinds } from '../../src/registry.js';
import { type HeaderInput, tsHeader } from './header.js';
import { EMITTED_MODULE_NAMES, pascalCase } from './names.js';
import { loadTsMorph } from './peer-modules.js';
import type { BodyPropertyPlan, GenerationPlan, OperationPlan, ParameterDocPlan } from './plan.js';
import { runtimeMetadata } from './runtime-metadata.js';
import { jsDocText, tsStringLiteral } from './text-safety.js';

/** Inputs of `generated/operations.ts` besides the plan. */
export interface OperationsEmitOptions {
  readonly header: HeaderInput;
  /** Module specifier of the metadata contract, relative to the output file (e.g. `../src/metadata.js`). */
  readonly metadataImport: string;
  /** Module the openapi-fetch types come from: `openapi-fetch`, or the package (which re-exports them) for consumers. */
  readonly openapiFetchImport?: string;
  /**
   * Module specifier of the types the resource methods are declared with (`ApiResponse`,
   * `RequestOptions`, `UuidArg`). Default: `resources.js` beside `metadataImport` when that ends in
   * `/metadata.js`, else `metadataImport` itself (a package entry exporting both).
   */
  readonly resourcesImport?: string;
  /** Name of the exported registry: `operationRegistry` here, `operations` in a consumer's repository. */
  readonly registryName?: string;
  /**
   * Emit the openapi-fetch wrapper functions (default true). A consumer's registry is data and
   * types only: the client in the package makes the calls from the metadata.
   */
  readonly wrappers?: boolean;
  /**
   * The package's own registry: each entry carries the runtime of its kinds (`KIND_RUNTIMES`,
   * imported from beside `metadataImport`; `OperationKinds` in src/registry.ts, so that a bundle
   * holds only the kinds of its entries) and is marked `checked: true` (generated from a
   * validated spec, `createClient` takes it as it is). Off (a consumer's registry, data and
   * types only): entries are their metadata alone.
   */
  readonly kindRuntimes?: boolean;
}

/** Names that differ between this package's generated/ and a consumer's output. */
interface ModuleNames {
  readonly registry: string;
  /** The variable holding the registry's literal: the registry itself, or (for consumers) a private one it is typed from. */
  readonly registryLiteral: string;
  /** Local name of schema.ts's `operations` type (renamed when the registry takes that name). */
  readonly schemaOperations: string;
  readonly openapiFetch: string;
  readonly metadata: string;
  readonly resources: string;
  readonly wrappers: boolean;
  readonly kindModules: Readonly<Record<keyof OperationKinds, string>> | undefined;
}

function moduleNames(options: OperationsEmitOptions): ModuleNames {
  const registry = options.registryName ?? 'operationRegistry';
  return {
    registry,
    registryLiteral: registry === 'operations' ? 'registry' : registry,
    schemaOperations: registry === 'operations' ? 'SchemaOperations' : 'operations',
    openapiFetch: options.openapiFetchImport ?? 'openapi-fetch',
    metadata: options.metadataImport,
    resources: options.resourcesImport ?? besideMetadata(options.metadataImport, 'resources'),
    wrappers: options.wrappers ?? true,
    kindModules: options.kindRuntimes
      ? (Object.fromEntries(
          Object.entries(KIND_RUNTIMES).map(([kind, { module }]) => [
            kind,
            besideMetadata(options.metadataImport, module),
          ]),
        ) as Record<keyof OperationKinds, string>)
      : undefined,
  };
}

/** The src/ module `name` beside `metadataImport` when that ends in `/metadata.js`, else `metadataImport` itself. */
function besideMetadata(metadataImport: string, name: string): string {
  return metadataImport.replace(/\/metadata\.js$/, `/${name}.js`);
}

type TsMorph = typeof import('ts-morph');

/**
 * `generated/operations.ts`, built from ts-morph structures: per operation a metadata constant,
 * parameter/body/result/request types and a wrapper calling openapi-fetch; then a registry.
 */
export async function emitOperations(
  plan: GenerationPlan,
  options: OperationsEmitOptions,
): Promise<string> {
  const tsMorph = loadTsMorph();
  const module = moduleNames(options);
  const statements: StatementStructures[] = [
    ...imports(tsMorph, plan, module),
    specSourceStatement(tsMorph, options.header),
    replacementDescriptionsStatement(tsMorph),
    ...plan.operations.flatMap((operation) => operationStatements(tsMorph, operation, module)),
    ...registryStatements(tsMorph, plan, module),
    ...resourceStatements(tsMorph, plan),
  ];
  // Printed straight from the structures (what a Project's createSourceFile prints before it
  // parses the text into a source file, which nothing here reads).
  const text = tsMorph.printStructure(
    { kind: tsMorph.StructureKind.SourceFile, leadingTrivia: tsHeader(options.header), statements },
    { indentNumberOfSpaces: 2, newLine: '\n', useSingleQuote: true },
  );
  return fillLiterals(tsMorph, text, plan, module);
}

/**
 * Stands in for a top-level literal until `fillLiterals` writes it: structure printers add a
 * hanging indent to multi-line initializers. Unguessable, so no spec text can contain it.
 */
const PLACEHOLDER_NONCE = randomUUID().replaceAll('-', '');
const literalPlaceholder = (name: string) => `__literal_${PLACEHOLDER_NONCE}_${name}__`;

/**
 * The printed file with the metadata and registry literals written in, at top-level indentation
 * (by text: a ts-morph `replaceWithText` per literal reprints the file, quadratic in operations).
 */
function fillLiterals(
  tsMorph: TsMorph,
  text: string,
  plan: GenerationPlan,
  module: ModuleNames,
): string {
  const literal = (write: (writer: CodeBlockWriter) => void): string => {
    const writer = new tsMorph.CodeBlockWriter({ indentNumberOfSpaces: 2, newLine: '\n' });
    write(writer);
    return writer.toString();
  };
  const literals = new Map<string, string>();
  for (const operation of plan.operations) {
    literals.set(
      literalPlaceholder(names(operation).metadata),
      literal((writer) => {
        writeLiteral(writer, runtimeMetadata(operation.metadata));
        writer.write(' as const satisfies OperationMetadata');
      }),
    );
  }
  literals.set(
    literalPlaceholder(REPLACEMENT_DESCRIPTIONS),
    literal((writer) => {
      writeLiteral(writer, replacementDescriptions(plan));
      writer.write(' as const satisfies Record<string, Record<string, string>>');
    }),
  );
  literals.set(
    literalPlaceholder(module.registryLiteral),
    literal((writer) => {
      writer
        .inlineBlock(() => {
          for (const operation of plan.operations) {
            const name = operation.metadata.functionName;
            writer.writeLine(`${name}: ${names(operation).entry},`);
          }
        })
        .write(' as const');
    }),
  );
  const filled = new Set<string>();
  const out = text.replace(/__literal_[0-9a-f]{32}_[\w$]+__/g, (placeholder) => {
    const value = literals.get(placeholder);
    if (value === undefined || filled.has(placeholder)) {
      throw new Error(`emitOperations: unexpected literal placeholder ${placeholder}`);
    }
    filled.add(placeholder);
    return value;
  });
  if (filled.size !== literals.size) {
    throw new Error('emitOperations: a literal placeholder was not printed');
  }
  return out;
}

// ---------------------------------------------------------------- helpers

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Single-quoted TypeScript string literal. */
export const quote = tsStringLiteral;

function propertyName(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name);
}

/** JSDoc text must not close the comment early nor add tags. */
const docText = jsDocText;

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function primitiveLiteral(value: string | number | boolean | null): string {
  return typeof value === 'string' ? quote(value) : JSON.stringify(value);
}

/** Writes JSON data as a TypeScript literal (single quotes, bare keys), indented by the writer. */
export function writeLiteral(writer: CodeBlockWriter, value: unknown): void {
  if (isPrimitive(value)) {
    writer.write(primitiveLiteral(value));
  } else if (Array.isArray(value)) {
    const inline = value.every(isPrimitive) ? `[${value.map(primitiveLiteral).join(', ')}]` : null;
    if (inline !== null && inline.length <= 80) {
      writer.write(inline);
      return;
    }
    writer.write('[').newLine();
    writer.indent(() => {
      for (const item of value) {
        writeLiteral(writer, item);
        writer.write(',').newLine();
      }
    });
    writer.write(']');
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, item]) => item !== undefined,
    );
    if (entries.length === 0) {
      writer.write('{}');
      return;
    }
    writer.write('{').newLine();
    writer.indent(() => {
      for (const [key, item] of entries) {
        writer.write(`${propertyName(key)}: `);
        writeLiteral(writer, item);
        writer.write(',').newLine();
      }
    });
    writer.write('}');
  } else {
    throw new TypeError(`Cannot write ${typeof value} as a literal`);
  }
}

function doc(
  description: string,
  tags: { tagName: string; text?: string }[] = [],
): OptionalKind<JSDocStructure> {
  return {
    description: docText(description),
    tags: tags.map((tag) => ({ ...tag, text: tag.text ? docText(tag.text) : undefined })),
  };
}

/** `Since 2025-07-01; end of life 2026-07-01. Use \`is_trusted_sender\` instead.` (or the raw text when nothing parsed). */
export function deprecatedTagText(
  deprecation: NonNullable<BodyPropertyPlan['deprecation']>,
): string {
  const dates = [
    deprecation.deprecatedSince ? `Since ${deprecation.deprecatedSince}` : '',
    deprecation.endOfLife ? `end of life ${deprecation.endOfLife}` : '',
  ].filter(Boolean);
  const sentence = dates.length ? `${dates.join('; ')}.` : '';
  const capitalised = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  const replacement = deprecation.replacement ? `Use \`${deprecation.replacement}\` instead.` : '';
  const parsed = [capitalised, replacement].filter(Boolean).join(' ');
  return parsed || deprecation.text.replace(/\s+/g, ' ').trim() || 'Deprecated by the API.';
}

function describeSecurity(security: SecurityAlternatives): string {
  if (security.length === 0) return 'no authentication';
  return security
    .map((alternative) =>
      alternative
        .map((scheme) =>
          scheme.type === 'http'
            ? `${scheme.name} (${scheme.scheme} token in Authorization)`
            : `${scheme.name} (${scheme.headerName} ${scheme.in})`,
        )
        .join(' + '),
    )
    .join(' or ');
}

function names(operation: OperationPlan) {
  const type = operation.typeName;
  return {
    operation: `${type}Operation`,
    metadata: `${operation.metadata.functionName}Metadata`,
    entry: `${operation.metadata.functionName}Operation`,
    path: `${type}PathParams`,
    query: `${type}QueryParams`,
    header: `${type}HeaderParams`,
    writableBody: `${type}WritableBody`,
    body: `${type}Body`,
    response: `${type}Response`,
    result: `${type}Result`,
    request: `${type}Request`,
    method: `${type}Method`,
  };
}

function parametersIn(operation: OperationPlan, where: ParameterDocPlan['in']): ParameterDocPlan[] {
  return operation.parameterDocs.filter((parameter) => parameter.in === where);
}

// ---------------------------------------------------------------- statements

const REPLACEMENT_DESCRIPTIONS = 'replacementDescriptions';

/**
 * `replacementDescriptions`: per operation (function name), the spec's description of each
 * deprecated property's replacement, for reviewers of a migration (src/migrate). Prose no request
 * needs, so it is kept out of the runtime metadata (scripts/codegen/runtime-metadata.ts) and
 * reaches only a bundle that reads it.
 */
function replacementDescriptionsStatement(tsMorph: TsMorph): StatementStructures {
  return exportedConstant(
    tsMorph,
    "Per operation (function name), the spec's description of each deprecated property's replacement (for reviewers of a migration; not in the runtime metadata).",
    { name: REPLACEMENT_DESCRIPTIONS, initializer: literalPlaceholder(REPLACEMENT_DESCRIPTIONS) },
  );
}

function replacementDescriptions(plan: GenerationPlan): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const { metadata } of plan.operations) {
    for (const { replacement, replacementDescription } of metadata.deprecations) {
      if (replacement === null || replacementDescription === undefined) continue;
      const described = out[metadata.functionName] ?? {};
      described[replacement] ??= replacementDescription;
      out[metadata.functionName] = described;
    }
  }
  return out;
}

/** `specSource`: the spec file and its sha256 (as in the header), for tools that record what they ran against. */
function specSourceStatement(tsMorph: TsMorph, header: HeaderInput): StatementStructures {
  const { StructureKind, VariableDeclarationKind } = tsMorph;
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ['The spec this module was generated from: its file and the sha256 of its bytes.'],
    declarations: [
      {
        name: 'specSource',
        initializer: `{ file: ${tsStringLiteral(header.specFile)}, sha256: ${tsStringLiteral(header.specSha256)} } as const`,
      },
    ],
  };
}

function imports(
  tsMorph: TsMorph,
  plan: GenerationPlan,
  module: ModuleNames,
): ImportDeclarationStructure[] {
  const { StructureKind } = tsMorph;
  const fetchTypes = module.wrappers ? ['Client', 'FetchResponse'] : ['FetchResponse'];
  if (plan.operations.some((operation) => operation.metadata.requestBody))
    fetchTypes.push('RequestBodyOption');
  const resourceTypes = ['ApiResponse', 'OperationEntry', 'RequestOptions'];
  if (
    plan.operations.some(
      (operation) => operation.metadata.pagination && operation.metadata.resource,
    )
  )
    resourceTypes.push('PagedList', 'PageResponse', 'PagingOptions');
  if (plan.operations.some((operation) => uuidPositions(operation).some(Boolean)))
    resourceTypes.push('UuidArg');
  if (plan.operations.some(hasRestoredItemProperties)) resourceTypes.push('WithWritable');
  // One import per module: a consumer's file takes all of these from the package.
  const byModule = new Map<string, string[]>();
  for (const [specifier, names] of [
    [module.openapiFetch, fetchTypes],
    [module.metadata, ['OperationMetadata']],
    [
      module.resources,
      module.registry === module.registryLiteral
        ? resourceTypes
        : [...resourceTypes, 'RegistryTypes'],
    ],
  ] as const) {
    byModule.set(specifier, [...(byModule.get(specifier) ?? []), ...names]);
  }
  const kinds = new Set(plan.operations.flatMap((operation) => carriedKinds(operation, module)));
  const runtime = [...kinds].map(
    (kind): ImportDeclarationStructure => ({
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: module.kindModules?.[kind] as string,
      namedImports: [KIND_RUNTIMES[kind].name],
    }),
  );
  return [
    ...runtime,
    ...[...byModule].map(
      ([moduleSpecifier, names]): ImportDeclarationStructure => ({
        kind: StructureKind.ImportDeclaration,
        isTypeOnly: true,
        moduleSpecifier,
        namedImports: names.sort(),
      }),
    ),
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: './schema.js',
      namedImports: [
        module.schemaOperations === 'operations'
          ? 'operations'
          : { name: 'operations', alias: module.schemaOperations },
        ...(module.wrappers ? ['paths'] : []),
      ],
    },
  ];
}

function operationStatements(
  tsMorph: TsMorph,
  operation: OperationPlan,
  module: ModuleNames,
): StatementStructures[] {
  return [
    metadataConstant(tsMorph, operation),
    entryConstant(tsMorph, operation, module),
    operationAlias(tsMorph, operation, module),
    ...parameterInterfaces(tsMorph, operation),
    ...bodyTypes(tsMorph, operation),
    ...resultTypes(tsMorph, operation),
    ...(module.wrappers
      ? [requestInterface(tsMorph, operation), wrapperFunction(tsMorph, operation)]
      : []),
    ...methodInterface(tsMorph, operation),
  ];
}

/** `export const <name>[: type] = <initializer>;` with its doc comment. */
function exportedConstant(
  tsMorph: TsMorph,
  docText: string,
  declaration: { name: string; type?: string; initializer: string },
): VariableStatementStructure {
  return {
    kind: tsMorph.StructureKind.VariableStatement,
    isExported: true,
    declarationKind: tsMorph.VariableDeclarationKind.Const,
    docs: [doc(docText)],
    declarations: [declaration],
  };
}

function metadataConstant(tsMorph: TsMorph, operation: OperationPlan): VariableStatementStructure {
  const { metadata } = operation;
  const name = names(operation).metadata;
  const statement = exportedConstant(
    tsMorph,
    `Spec facts about \`${metadata.method.toUpperCase()} ${metadata.path}\` (${metadata.operationId}) that src/ acts on: ` +
      'security alternatives, permission groups, parameter and request-body rules, deprecations.',
    { name, initializer: literalPlaceholder(name) },
  );
  return { ...statement, leadingTrivia: (writer) => writer.blankLineIfLastNot() };
}

/**
 * The operation alone as a registry entry, typed with its own row of `OperationTypes` and its
 * resource method: `createClient({ operations: { updateAllowPolicyOperation } })` builds a client
 * of exactly the entries it is given, so a bundler keeps only their metadata.
 */
function entryConstant(
  tsMorph: TsMorph,
  operation: OperationPlan,
  module: ModuleNames,
): VariableStatementStructure {
  const { metadata } = operation;
  const n = names(operation);
  const kinds = carriedKinds(operation, module)
    .map((kind) => `, ${kind}: ${KIND_RUNTIMES[kind].name}`)
    .join('');
  const checked = module.kindModules ? ', checked: true' : '';
  const resource = metadata.resource
    ? `{ readonly ${propertyName(metadata.resource.name)}: { readonly ${propertyName(metadata.resource.method)}: ${n.method} } }`
    : 'Record<never, never>';
  return exportedConstant(
    tsMorph,
    `\`${metadata.operationId}\` alone, for \`createClient({ operations: { ${n.entry} } })\`: a client of only the operations it is given.`,
    {
      name: n.entry,
      type: `OperationEntry<Pick<OperationTypes, ${quote(metadata.functionName)}>, ${resource}, typeof ${n.metadata}>`,
      initializer: `{ metadata: ${n.metadata}${kinds}${checked} }`,
    },
  );
}

/** Each kind's runtime (`OperationKinds` in src/registry.ts): the src/ module and its export. */
const KIND_RUNTIMES: Readonly<Record<keyof OperationKinds, { module: string; name: string }>> = {
  resourceMethod: { module: 'pagination', name: 'pagedMethod' },
  itemArrays: { module: 'batch', name: 'batchItems' },
  querySerializer: { module: 'request', name: 'querySerializer' },
};

/** The kinds whose runtime the operation's entry carries: in the package's own registry, what it needs. */
function carriedKinds(operation: OperationPlan, module: ModuleNames): (keyof OperationKinds)[] {
  if (!module.kindModules) return [];
  return Object.entries(neededKinds(operation.metadata)).flatMap(([kind, needed]) =>
    needed ? [kind as keyof OperationKinds] : [],
  );
}

function operationAlias(
  tsMorph: TsMorph,
  operation: OperationPlan,
  module: ModuleNames,
): TypeAliasDeclarationStructure {
  return {
    kind: tsMorph.StructureKind.TypeAlias,
    isExported: true,
    name: names(operation).operation,
    docs: [doc(`The openapi-typescript operation type of \`${operation.metadata.operationId}\`.`)],
    type: `${module.schemaOperations}[${quote(operation.metadata.operationId)}]`,
  };
}

function parameterInterfaces(
  tsMorph: TsMorph,
  operation: OperationPlan,
): InterfaceDeclarationStructure[] {
  const n = names(operation);
  const interfaces: InterfaceDeclarationStructure[] = [];
  const sections: [ParameterDocPlan['in'], string, string][] = [
    ['path', n.path, 'Path parameters'],
    ['query', n.query, 'Query parameters'],
    ['header', n.header, 'Header parameters'],
  ];
  for (const [where, name, title] of sections) {
    const parameters = parametersIn(operation, where);
    if (parameters.length === 0) continue;
    interfaces.push({
      kind: tsMorph.StructureKind.Interface,
      isExported: true,
      name,
      docs: [doc(`${title} of \`${operation.metadata.operationId}\`.`)],
      properties: parameters.map((parameter) => parameterProperty(operation, parameter)),
    });
  }
  return interfaces;
}

function parameterProperty(
  operation: OperationPlan,
  parameter: ParameterDocPlan,
): OptionalKind<PropertySignatureStructure> {
  const rule = operation.metadata.parameters.find(
    (entry) => entry.in === parameter.in && entry.name === parameter.name,
  )?.rule;
  const lines = [parameter.description ?? '', rule?.format ? `Format: ${rule.format}.` : ''].filter(
    Boolean,
  );
  const tags = parameter.deprecated
    ? [{ tagName: 'deprecated', text: 'Deprecated by the API.' }]
    : [];
  return {
    name: propertyName(parameter.name),
    hasQuestionToken: !parameter.required,
    type: `NonNullable<${names(operation).operation}['parameters'][${quote(parameter.in)}]>[${quote(parameter.name)}]`,
    docs: lines.length || tags.length ? [doc(lines.join('\n'), tags)] : [],
  };
}

function bodyTypes(tsMorph: TsMorph, operation: OperationPlan): StatementStructures[] {
  const { StructureKind } = tsMorph;
  const body = operation.metadata.requestBody;
  if (!body) return [];
  const n = names(operation);
  const writable: TypeAliasDeclarationStructure = {
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: n.writableBody,
    docs: [
      doc(
        'The request body type from schema.ts as openapi-fetch sends it: `Writable<>` has removed the read-only (`$Read`) properties.',
      ),
    ],
    type: `NonNullable<RequestBodyOption<${n.operation}>['body']>`,
  };
  if (!operation.bodyIsObject) {
    return [
      writable,
      {
        kind: StructureKind.TypeAlias,
        isExported: true,
        name: n.body,
        docs: [doc('The request body.')],
        type: n.writableBody,
      },
    ];
  }
  const readOnly = body.readOnlyProperties.length
    ? ` Read-only (response-only) properties are not accepted: ${body.readOnlyProperties.map((name) => `\`${name}\``).join(', ')}.`
    : '';
  const bodyInterface: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    isExported: true,
    name: n.body,
    docs: [
      doc(
        `Request body of \`${operation.metadata.operationId}\`${body.schema ? ` (\`${body.schema}\`)` : ''}: writable properties only;` +
          ` required: ${body.requiredProperties.length ? body.requiredProperties.join(', ') : 'none'}.` +
          `${readOnly}${body.minProperties ? ` Send at least ${body.minProperties} ${body.minProperties === 1 ? 'property' : 'properties'}.` : ''}` +
          `${body.omittedAsEmpty?.length ? ` The client sends ${body.omittedAsEmpty.join(', ')} as [] when left out.` : ''}`,
      ),
    ],
    properties: operation.bodyProperties.map((property) => bodyProperty(operation, property)),
  };
  return [writable, bodyInterface];
}

function bodyProperty(
  operation: OperationPlan,
  property: BodyPropertyPlan,
): OptionalKind<PropertySignatureStructure> {
  const base = `${names(operation).writableBody}[${quote(property.name)}]`;
  const forbidden = property.forbiddenEnumValues.map((value) =>
    typeof value === 'string' ? quote(value) : JSON.stringify(value),
  );
  const description =
    property.description && property.description !== property.deprecation?.text
      ? property.description
      : '';
  const notes = forbidden.length
    ? `${forbidden.join(', ')} cannot be sent (deprecated; response-only).`
    : '';
  const tags = property.deprecation
    ? [{ tagName: 'deprecated', text: deprecatedTagText(property.deprecation) }]
    : [];
  const text = [description, notes].filter(Boolean).join('\n\n');
  // A batch's arrays may be left out: the client sends them as `[]`.
  const filled = operation.metadata.requestBody?.omittedAsEmpty?.includes(property.name) ?? false;
  const item = operation.metadata.requestBody?.properties[property.name]?.items?.object;
  const restored =
    item && property.restoredItemProperties.length > 0
      ? `WithWritable<${base}[number], { ${property.restoredItemProperties
          .map(
            (name) =>
              `${propertyName(name)}${item.requiredProperties.includes(name) ? '' : '?'}: ${ruleTypeText(item.properties[name])}`,
          )
          .join('; ')} }>[]`
      : null;
  return {
    name: propertyName(property.name),
    hasQuestionToken: !property.required || filled,
    type: restored ?? (forbidden.length ? `Exclude<${base}, ${forbidden.join(' | ')}>` : base),
    docs: text || tags.length ? [doc(text, tags)] : [],
  };
}

/** Whether the body restores properties of its array items that a shared schema marks read-only. */
function hasRestoredItemProperties(operation: OperationPlan): boolean {
  return operation.bodyProperties.some((property) => property.restoredItemProperties.length > 0);
}

/** The TypeScript type of a value rule (for properties openapi-typescript's types lack). */
function ruleTypeText(rule: ValueRule | undefined): string {
  if (!rule) return 'unknown';
  const allowed = rule.enum?.filter((value) => !rule.enumForbiddenOnWrite?.includes(value));
  let text: string;
  if (allowed?.length) {
    text = allowed
      .map((value) => (typeof value === 'string' ? quote(value) : JSON.stringify(value)))
      .join(' | ');
  } else if (rule.type === 'integer' || rule.type === 'number') text = 'number';
  else if (rule.type === 'string' || rule.type === 'boolean') text = rule.type;
  else if (rule.type === 'array') text = `(${ruleTypeText(rule.items)})[]`;
  else text = 'unknown';
  return rule.nullable && text !== 'unknown' ? `${text} | null` : text;
}

function resultTypes(tsMorph: TsMorph, operation: OperationPlan): TypeAliasDeclarationStructure[] {
  const { StructureKind } = tsMorph;
  const n = names(operation);
  const { successStatus, responseContentType } = operation.metadata;
  const response: TypeAliasDeclarationStructure = {
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: n.response,
    docs: [
      doc(
        `The ${successStatus} \`${responseContentType}\` body as openapi-fetch returns it (\`Readable<>\`: read-only properties kept).`,
      ),
    ],
    type: `NonNullable<FetchResponse<${n.operation}, object, ${quote(responseContentType)}>['data']>`,
  };
  const result: TypeAliasDeclarationStructure = {
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: n.result,
    docs: [
      doc(
        operation.resultProperty
          ? `The unwrapped \`${operation.resultProperty}\` of the success response (read-only properties kept).`
          : 'The success response body (it has no `result` envelope).',
      ),
    ],
    type: operation.resultProperty
      ? `NonNullable<${n.response}[${quote(operation.resultProperty)}]>`
      : n.response,
  };
  return [response, result];
}

function requestInterface(
  tsMorph: TsMorph,
  operation: OperationPlan,
): InterfaceDeclarationStructure {
  const n = names(operation);
  const properties: OptionalKind<PropertySignatureStructure>[] = [];
  const groups: [ParameterDocPlan['in'], string, string][] = [
    ['path', 'path', n.path],
    ['query', 'query', n.query],
    ['header', 'header', n.header],
  ];
  for (const [where, key, type] of groups) {
    const parameters = parametersIn(operation, where);
    if (parameters.length > 0)
      properties.push({
        name: key,
        type,
        hasQuestionToken: !parameters.some((parameter) => parameter.required),
      });
  }
  const body = operation.metadata.requestBody;
  // openapi-fetch sends the body as given: arrays the client would fill are required here.
  const filled = (body?.omittedAsEmpty ?? []).map(quote).join(' | ');
  if (body)
    properties.push({
      name: 'body',
      type: filled ? `Omit<${n.body}, ${filled}> & Required<Pick<${n.body}, ${filled}>>` : n.body,
      hasQuestionToken: !body.required,
    });
  properties.push(
    {
      name: 'signal',
      type: 'AbortSignal',
      hasQuestionToken: true,
      docs: [doc('Aborts the request.')],
    },
    {
      name: 'headers',
      type: 'Record<string, string>',
      hasQuestionToken: true,
      docs: [doc('Extra HTTP headers (e.g. authentication).')],
    },
  );
  return {
    kind: tsMorph.StructureKind.Interface,
    isExported: true,
    name: n.request,
    docs: [doc(`Everything \`${operation.metadata.functionName}\` sends.`)],
    properties,
  };
}

function wrapperFunction(tsMorph: TsMorph, operation: OperationPlan): FunctionDeclarationStructure {
  const { metadata } = operation;
  const n = names(operation);
  const paramsKeys = (['path', 'query', 'header'] as const).filter(
    (where) => parametersIn(operation, where).length > 0,
  );
  const lines = [
    metadata.summary ?? metadata.operationId,
    metadata.description ?? '',
    `\`${metadata.method.toUpperCase()} ${metadata.path}\` (operationId \`${metadata.operationId}\`).`,
    metadata.permissionGroups.length
      ? `Token permission groups: ${metadata.permissionGroups.join(', ')}.`
      : '',
    `Authentication: ${describeSecurity(metadata.security)}.`,
  ].filter(Boolean);
  const tags = [
    {
      tagName: 'returns',
      text: `openapi-fetch's \`{ data, error, response }\`; the payload is {@link ${n.result}}.`,
    },
    ...(metadata.deprecated
      ? [{ tagName: 'deprecated', text: 'This operation is deprecated by the API.' }]
      : []),
  ];
  return {
    kind: tsMorph.StructureKind.Function,
    isExported: true,
    name: metadata.functionName,
    docs: [doc(lines.join('\n\n'), tags)],
    parameters: [
      { name: 'client', type: 'Client<paths>' },
      { name: 'request', type: n.request },
    ],
    // Declared, not inferred: tsc's declaration emit of the inferred type inlined it with
    // comments copied from source positions, which a layout change could land inside a type.
    returnType: `Promise<FetchResponse<${n.operation}, object, 'application/json'>>`,
    statements: (writer) => {
      writer
        .write(`return client.${metadata.method.toUpperCase()}(${quote(metadata.path)}, `)
        .inlineBlock(() => {
          if (paramsKeys.length > 0)
            writer.writeLine(
              `params: { ${paramsKeys.map((key) => `${key}: request.${key}`).join(', ')} },`,
            );
          // openapi-fetch's body type drops every property the spec marks read-only, batch
          // items' ids among them; the request type restores those, so the body is cast.
          if (metadata.requestBody)
            writer.writeLine(
              hasRestoredItemProperties(operation)
                ? `body: request.body as unknown as ${n.writableBody},`
                : 'body: request.body,',
            );
          writer.writeLine('signal: request.signal,');
          writer.writeLine('headers: request.headers,');
        });
      writer.write(');');
    },
  };
}

function registryStatements(
  tsMorph: TsMorph,
  plan: GenerationPlan,
  module: ModuleNames,
): StatementStructures[] {
  const { StructureKind, VariableDeclarationKind } = tsMorph;
  const typed = module.registry !== module.registryLiteral;
  const registry: VariableStatementStructure = {
    kind: StructureKind.VariableStatement,
    isExported: !typed,
    declarationKind: VariableDeclarationKind.Const,
    leadingTrivia: (writer) => writer.blankLineIfLastNot(),
    docs: [
      doc(
        typed
          ? 'Every generated operation, by function name (the data of `operations`).'
          : 'Every wrapped operation, by function name: src/ exposes them generically (add operations in openapi/codegen.config.ts).',
      ),
    ],
    declarations: [
      {
        name: module.registryLiteral,
        initializer: literalPlaceholder(module.registryLiteral),
      },
    ],
  };
  // A consumer's registry also carries, for the compiler only, its operation and resource types.
  const typedRegistry: VariableStatementStructure[] = typed
    ? [
        {
          kind: StructureKind.VariableStatement,
          isExported: true,
          declarationKind: VariableDeclarationKind.Const,
          docs: [
            doc(
              "The operation registry: `createEmailSecurityClient({ operations })` adds these operations (resource methods, `call`, typed) to the package's.",
            ),
          ],
          declarations: [
            {
              name: module.registry,
              type: `typeof ${module.registryLiteral} & RegistryTypes<OperationTypes, Resources>`,
              initializer: module.registryLiteral,
            },
          ],
        },
      ]
    : [];
  const types: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    isExported: true,
    name: 'OperationTypes',
    docs: [
      doc(
        'Parameter, body and result types of every wrapped operation (`never` where the operation has none).',
      ),
    ],
    properties: plan.operations.map((operation) => {
      const n = names(operation);
      const part = (present: boolean, type: string) => (present ? type : 'never');
      return {
        name: operation.metadata.functionName,
        type: `{ operationId: ${quote(operation.metadata.operationId)}; path: ${part(parametersIn(operation, 'path').length > 0, n.path)}; query: ${part(parametersIn(operation, 'query').length > 0, n.query)}; body: ${part(Boolean(operation.metadata.requestBody), n.body)}; result: ${n.result} }`,
      };
    }),
  };
  const operationName: TypeAliasDeclarationStructure = {
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: 'OperationName',
    docs: [doc('Function name of a wrapped operation.')],
    type: `keyof typeof ${module.registryLiteral}`,
  };
  return [registry, ...typedRegistry, types, operationName];
}

// ---------------------------------------------------------------- resource methods

/** Per positional argument: whether the spec declares it `format: uuid` (typed `UuidArg`). */
function uuidPositions(operation: OperationPlan): boolean[] {
  const { metadata } = operation;
  return (metadata.resource?.positional ?? []).map(
    (name) =>
      metadata.parameters.find((p) => p.in === 'path' && p.name === name)?.rule.format === 'uuid',
  );
}

function resourceTypeName(resource: string): string {
  return `${pascalCase(resource)}Resource`;
}

/** `(policyId, patch, options?)` of the resource method, with a type parameter per UUID id. */
function methodSignature(operation: OperationPlan): {
  typeParameters: OptionalKind<TypeParameterDeclarationStructure>[];
  parameters: OptionalKind<ParameterDeclarationStructure>[];
} {
  const { metadata, argumentNames } = operation;
  const resource = metadata.resource;
  if (!resource) return { typeParameters: [], parameters: [] };
  const n = names(operation);
  const uuid = uuidPositions(operation);
  const taken = new Set([...EMITTED_MODULE_NAMES, ...Object.values(n)]);
  const typeParameters: OptionalKind<TypeParameterDeclarationStructure>[] = [];
  const parameters: OptionalKind<ParameterDeclarationStructure>[] = resource.positional.map(
    (name, index) => {
      const argument = argumentNames[index] ?? `id${index}`;
      const declared = `${n.path}[${quote(name)}]`;
      if (!uuid[index]) return { name: argument, type: declared };
      let typeParameter = pascalCase(argument);
      while (taken.has(typeParameter)) typeParameter = `${typeParameter}_`;
      taken.add(typeParameter);
      typeParameters.push({ name: typeParameter, constraint: 'string' });
      return { name: argument, type: `UuidArg<${typeParameter}>` };
    },
  );
  if (resource.input === 'body' && metadata.requestBody) {
    parameters.push({
      name: metadata.method === 'patch' ? 'patch' : 'body',
      type: n.body,
      hasQuestionToken: !metadata.requestBody.required,
    });
  } else if (resource.input === 'query') {
    const query = parametersIn(operation, 'query');
    parameters.push({
      name: 'query',
      type: n.query,
      hasQuestionToken: !query.some((parameter) => parameter.required),
    });
  }
  parameters.push({ name: 'options', type: 'RequestOptions', hasQuestionToken: true });
  return { typeParameters, parameters };
}

function methodInterface(
  tsMorph: TsMorph,
  operation: OperationPlan,
): InterfaceDeclarationStructure[] {
  const { metadata } = operation;
  const resource = metadata.resource;
  if (!resource) return [];
  const n = names(operation);
  const signature = methodSignature(operation);
  // A paged list returns a PagedList: awaited, the first page; iterated, every item of every page.
  const paged = metadata.pagination !== undefined;
  const page = `${n.result}[number], NonNullable<${n.response}[${quote(metadata.pagination?.infoProperty ?? '')}]>`;
  const call: OptionalKind<CallSignatureDeclarationStructure> = {
    ...signature,
    ...(paged && {
      parameters: signature.parameters.map((parameter) =>
        parameter.name === 'options'
          ? { ...parameter, type: 'RequestOptions & PagingOptions' }
          : parameter,
      ),
    }),
    returnType: paged ? `PagedList<${page}>` : `Promise<${n.result}>`,
  };
  return [
    {
      kind: tsMorph.StructureKind.Interface,
      isExported: true,
      name: n.method,
      docs: [
        doc(
          [
            `\`client.${resource.name}.${resource.method}\`: ${metadata.summary ?? metadata.operationId}.`,
            `\`${metadata.method.toUpperCase()} ${metadata.path}\` (operationId \`${metadata.operationId}\`); resolves to the unwrapped result.`,
          ].join('\n\n'),
        ),
      ],
      callSignatures: [call],
      methods: [
        {
          name: 'withResponse',
          ...signature,
          returnType: paged
            ? `Promise<PageResponse<${page}>>`
            : `Promise<ApiResponse<${n.result}>>`,
          docs: [
            doc(
              'The same call; resolves to the result with the raw `Response`, `messages`, `cfRay` and deprecation events.',
            ),
          ],
        },
      ],
    },
  ];
}

function resourceStatements(
  tsMorph: TsMorph,
  plan: GenerationPlan,
): InterfaceDeclarationStructure[] {
  const { StructureKind } = tsMorph;
  const byResource = new Map<string, OperationPlan[]>();
  for (const operation of plan.operations) {
    const resource = operation.metadata.resource;
    if (!resource) continue;
    const list = byResource.get(resource.name) ?? [];
    list.push(operation);
    byResource.set(resource.name, list);
  }
  const resources = [...byResource.keys()].sort();
  const interfaces: InterfaceDeclarationStructure[] = resources.map((resource) => ({
    kind: StructureKind.Interface,
    isExported: true,
    name: resourceTypeName(resource),
    docs: [doc(`\`client.${resource}\`: one method per wrapped operation on it.`)],
    properties: (byResource.get(resource) ?? [])
      .map((operation) => ({
        name: propertyName(operation.metadata.resource?.method ?? ''),
        isReadonly: true,
        type: names(operation).method,
        docs: [doc(operation.metadata.summary ?? operation.metadata.operationId)],
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  }));
  interfaces.push({
    kind: StructureKind.Interface,
    isExported: true,
    name: 'Resources',
    docs: [
      doc(
        'The resource methods of the client, by resource: `client.<resource>.<method>(...ids, bodyOrQuery?, options?)`.',
      ),
    ],
    properties: resources.map((resource) => ({
      name: propertyName(resource),
      isReadonly: true,
      type: resourceTypeName(resource),
    })),
  });
  return interfaces;
}
