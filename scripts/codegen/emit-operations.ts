import type {
  CodeBlockWriter,
  FunctionDeclarationStructure,
  ImportDeclarationStructure,
  InterfaceDeclarationStructure,
  JSDocStructure,
  OptionalKind,
  PropertySignatureStructure,
  SourceFile,
  StatementStructures,
  TypeAliasDeclarationStructure,
  VariableStatementStructure,
} from 'ts-morph';
import type { SecurityAlternatives } from '../../src/metadata.js';
import { type HeaderInput, tsHeader } from './header.js';
import type { BodyPropertyPlan, GenerationPlan, OperationPlan, ParameterDocPlan } from './plan.js';
import { jsDocText, tsStringLiteral } from './text-safety.js';

/** Inputs of `generated/operations.ts` besides the plan. */
export interface OperationsEmitOptions {
  readonly header: HeaderInput;
  /** Module specifier of the metadata contract, relative to the output file (e.g. `../src/metadata.js`). */
  readonly metadataImport: string;
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
  const tsMorph = await import('ts-morph');
  const { Project, IndentationText, QuoteKind, NewLineKind } = tsMorph;
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Single,
      newLineKind: NewLineKind.LineFeed,
      useTrailingCommas: true,
    },
  });
  const statements: StatementStructures[] = [
    ...imports(tsMorph, plan, options.metadataImport),
    ...plan.operations.flatMap((operation) => operationStatements(tsMorph, operation)),
    ...registryStatements(tsMorph, plan),
  ];
  const file = project.createSourceFile('operations.ts', {
    leadingTrivia: tsHeader(options.header),
    statements,
  });
  fillLiterals(file, plan);
  return file.getFullText();
}

const LITERAL_PLACEHOLDER = '{}';

/** Writes the metadata and registry literals at the declarations' own indentation. */
function fillLiterals(file: SourceFile, plan: GenerationPlan): void {
  for (const operation of plan.operations) {
    file
      .getVariableDeclarationOrThrow(names(operation).metadata)
      .getInitializerOrThrow()
      .replaceWithText((writer) => {
        writeLiteral(writer, operation.metadata);
        writer.write(' as const satisfies OperationMetadata');
      });
  }
  file
    .getVariableDeclarationOrThrow('operationRegistry')
    .getInitializerOrThrow()
    .replaceWithText((writer) => {
      writer
        .inlineBlock(() => {
          for (const operation of plan.operations) {
            const name = operation.metadata.functionName;
            writer.writeLine(`${name}: { metadata: ${names(operation).metadata}, call: ${name} },`);
          }
        })
        .write(' as const');
    });
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
    path: `${type}PathParams`,
    query: `${type}QueryParams`,
    header: `${type}HeaderParams`,
    writableBody: `${type}WritableBody`,
    body: `${type}Body`,
    response: `${type}Response`,
    result: `${type}Result`,
    request: `${type}Request`,
  };
}

function parametersIn(operation: OperationPlan, where: ParameterDocPlan['in']): ParameterDocPlan[] {
  return operation.parameterDocs.filter((parameter) => parameter.in === where);
}

// ---------------------------------------------------------------- statements

function imports(
  tsMorph: TsMorph,
  plan: GenerationPlan,
  metadataImport: string,
): ImportDeclarationStructure[] {
  const { StructureKind } = tsMorph;
  const fetchTypes = ['Client', 'FetchResponse'];
  if (plan.operations.some((operation) => operation.metadata.requestBody))
    fetchTypes.push('RequestBodyOption');
  return [
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: 'openapi-fetch',
      namedImports: fetchTypes.sort(),
    },
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: metadataImport,
      namedImports: ['OperationMetadata'],
    },
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: './schema.js',
      namedImports: ['operations', 'paths'],
    },
  ];
}

function operationStatements(tsMorph: TsMorph, operation: OperationPlan): StatementStructures[] {
  return [
    metadataConstant(tsMorph, operation),
    operationAlias(tsMorph, operation),
    ...parameterInterfaces(tsMorph, operation),
    ...bodyTypes(tsMorph, operation),
    ...resultTypes(tsMorph, operation),
    requestInterface(tsMorph, operation),
    wrapperFunction(tsMorph, operation),
  ];
}

function metadataConstant(tsMorph: TsMorph, operation: OperationPlan): VariableStatementStructure {
  const { StructureKind, VariableDeclarationKind } = tsMorph;
  const { metadata } = operation;
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [
      doc(
        `Spec facts about \`${metadata.method.toUpperCase()} ${metadata.path}\` (${metadata.operationId}) that src/ acts on: ` +
          'security alternatives, permission groups, parameter and request-body rules, deprecations.',
      ),
    ],
    leadingTrivia: (writer) => writer.blankLineIfLastNot(),
    declarations: [
      {
        name: names(operation).metadata,
        // Filled in by `fillLiterals`: structure printers add a hanging indent to multi-line initializers.
        initializer: LITERAL_PLACEHOLDER,
      },
    ],
  };
}

function operationAlias(tsMorph: TsMorph, operation: OperationPlan): TypeAliasDeclarationStructure {
  return {
    kind: tsMorph.StructureKind.TypeAlias,
    isExported: true,
    name: names(operation).operation,
    docs: [doc(`The openapi-typescript operation type of \`${operation.metadata.operationId}\`.`)],
    type: `operations[${quote(operation.metadata.operationId)}]`,
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
          `${readOnly}${body.minProperties ? ` Send at least ${body.minProperties} ${body.minProperties === 1 ? 'property' : 'properties'}.` : ''}`,
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
  return {
    name: propertyName(property.name),
    hasQuestionToken: !property.required,
    type: forbidden.length ? `Exclude<${base}, ${forbidden.join(' | ')}>` : base,
    docs: text || tags.length ? [doc(text, tags)] : [],
  };
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
  if (body) properties.push({ name: 'body', type: n.body, hasQuestionToken: !body.required });
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
    statements: (writer) => {
      writer
        .write(`return client.${metadata.method.toUpperCase()}(${quote(metadata.path)}, `)
        .inlineBlock(() => {
          if (paramsKeys.length > 0)
            writer.writeLine(
              `params: { ${paramsKeys.map((key) => `${key}: request.${key}`).join(', ')} },`,
            );
          if (metadata.requestBody) writer.writeLine('body: request.body,');
          writer.writeLine('signal: request.signal,');
          writer.writeLine('headers: request.headers,');
        });
      writer.write(');');
    },
  };
}

function registryStatements(tsMorph: TsMorph, plan: GenerationPlan): StatementStructures[] {
  const { StructureKind, VariableDeclarationKind } = tsMorph;
  const registry: VariableStatementStructure = {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    leadingTrivia: (writer) => writer.blankLineIfLastNot(),
    docs: [
      doc(
        'Every wrapped operation, by function name: src/ exposes them generically (add operations in openapi/codegen.config.ts).',
      ),
    ],
    declarations: [
      {
        name: 'operationRegistry',
        initializer: LITERAL_PLACEHOLDER,
      },
    ],
  };
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
        type: `{ path: ${part(parametersIn(operation, 'path').length > 0, n.path)}; query: ${part(parametersIn(operation, 'query').length > 0, n.query)}; body: ${part(Boolean(operation.metadata.requestBody), n.body)}; result: ${n.result} }`,
      };
    }),
  };
  const operationName: TypeAliasDeclarationStructure = {
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: 'OperationName',
    docs: [doc('Function name of a wrapped operation.')],
    type: 'keyof typeof operationRegistry',
  };
  return [registry, types, operationName];
}
