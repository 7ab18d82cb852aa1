/**
 * The shape of the per-operation metadata that `scripts/generate.ts` emits into
 * `generated/operations.ts`. This is the contract between "generated describes" and
 * "src acts": the generator writes plain data of these types, `src/` interprets it.
 *
 * Everything here is JSON-serialisable data (no functions), so the same objects can be
 * printed, diffed and snapshotted.
 */

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** One security scheme from `components.securitySchemes`, resolved to what goes on the wire. */
export type SecuritySchemeMetadata =
  | {
      /** Key in `components.securitySchemes`, e.g. `api_token`. */
      readonly name: string;
      readonly type: 'http';
      /** Lower-case HTTP auth scheme, e.g. `bearer`. Sent as `Authorization: Bearer <token>`. */
      readonly scheme: string;
    }
  | {
      readonly name: string;
      readonly type: 'apiKey';
      readonly in: 'header' | 'query' | 'cookie';
      /** Header (or query/cookie) name, e.g. `X-Auth-Key`. */
      readonly headerName: string;
    };

/**
 * The operation's `security`: a list of alternatives; each alternative is a list of schemes
 * that must all be sent together (e.g. `[[api_token], [api_email, api_key]]`).
 */
export type SecurityAlternatives = readonly (readonly SecuritySchemeMetadata[])[];

/** Validation rules for one JSON value, taken from the spec (after `$ref`/`allOf` resolution). */
export interface ValueRule {
  readonly type: 'string' | 'boolean' | 'integer' | 'number' | 'array' | 'object' | 'unknown';
  readonly nullable?: boolean;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** ECMAScript regular expression source from the spec's `pattern`. */
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  /** Allowed values (for `enum`). */
  readonly enum?: readonly (string | number | boolean | null)[];
  /** Enum values the spec forbids in requests (deprecated values "cannot be used when creating or updating"). */
  readonly enumForbiddenOnWrite?: readonly (string | number | boolean | null)[];
  /** Rule for array items. */
  readonly items?: ValueRule;
  readonly minItems?: number;
  readonly maxItems?: number;
  /**
   * The properties of an object value. Described for the items of a request body's array
   * properties (a batch's `patches`, `posts`…), so that validation and deprecation migration
   * apply inside every item; absent elsewhere.
   */
  readonly object?: ObjectRule;
}

/** An object's writable properties and their rules (a request body, or a body array's items). */
export interface ObjectRule {
  /** Writable properties and their rules. Property order is alphabetical. */
  readonly properties: Readonly<Record<string, ValueRule>>;
  /** Required writable properties (the spec's `required` minus read-only ones). */
  readonly requiredProperties: readonly string[];
  /** Read-only properties (response-only); sending them is an error. */
  readonly readOnlyProperties: readonly string[];
  readonly minProperties?: number;
  readonly maxProperties?: number;
  /** `false` unless the schema allows extra properties. */
  readonly additionalProperties: boolean;
}

/** The request body, as a request (read-only properties are listed separately, never writable). */
export interface RequestBodyMetadata extends ObjectRule {
  /**
   * Component name of the body schema, e.g. `email-security_UpdateAllowPolicy`, and its media
   * type. Documentation only: in the generator's plan (JSDoc), not in the runtime metadata.
   */
  readonly schema?: string | null;
  readonly contentType?: string;
  readonly required: boolean;
  /**
   * Required array properties the client sends as `[]` when the caller leaves them out: the
   * arrays of a batch operation, whose endpoint requires all of them ("send empty arrays for
   * unused operations"). Absent: none.
   */
  readonly omittedAsEmpty?: readonly string[];
}

export interface ParameterMetadata {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly rule: ValueRule;
  /** Documentation only (its deprecation, if any, is in `deprecations`): not in the runtime metadata. */
  readonly deprecated?: boolean;
}

export type DeprecationKind = 'property' | 'enum-value' | 'operation' | 'parameter';

/** One deprecation found in the spec (a `deprecated: true` marker or a deprecated enum value). */
export interface DeprecationMetadata {
  readonly kind: DeprecationKind;
  /**
   * Component schema that declares it (e.g. `email-security_AllowPolicy`), or null for
   * inline/operation-level. Documentation only (generated/deprecations.md): not in the runtime
   * metadata.
   */
  readonly schema?: string | null;
  /** Property name, parameter name, or the enum-bearing property; null for an operation. */
  readonly field: string | null;
  /** The deprecated enum value (kind `enum-value` only). */
  readonly value?: string | number | boolean | null;
  /** Where it appears for this operation. */
  readonly appliesTo: 'request' | 'response' | 'both';
  /** Whether the property is read-only (response-only). */
  readonly readOnly: boolean;
  /** Replacement field name parsed from the description, e.g. `is_trusted_sender`. */
  readonly replacement: string | null;
  /**
   * The spec's description of the replacement property (declared beside the deprecated one), so a
   * reviewer of a migration sees what the new field grants. Absent when the spec has none (and in
   * metadata from older generators).
   */
  readonly replacementDescription?: string;
  /** ISO date (YYYY-MM-DD) parsed from "Deprecated as of …", or null. */
  readonly deprecatedSince: string | null;
  /** ISO date (YYYY-MM-DD) parsed from "End of life: …", or null. */
  readonly endOfLife: string | null;
  /** Whether the spec forbids it in requests (e.g. "cannot be used when creating or updating"). */
  readonly forbiddenOnWrite: boolean;
  /**
   * The original description text, kept raw. Documentation only: in the generator's plan, not in
   * the emitted runtime metadata (`runtimeMetadata` in scripts/codegen/runtime-metadata.ts).
   */
  readonly text?: string;
}

/**
 * A list operation that returns one page per call (scripts/codegen/pagination.ts): the query
 * parameters that choose the page and its size, and where the envelope says which page it sent.
 */
export interface PaginationMetadata {
  /** Query parameter of the 1-based page number, e.g. `page`. */
  readonly pageParameter: string;
  /** Query parameter of the page size, e.g. `per_page`. */
  readonly perPageParameter: string;
  /** Envelope property beside `result` describing the page, e.g. `result_info`. */
  readonly infoProperty: string;
  /** Property names inside it. */
  readonly info: {
    readonly page: string;
    readonly perPage: string;
    readonly count: string;
    readonly totalCount: string;
  };
}

/**
 * Where an operation appears on the client: `client[name][method](...positional, input?, options?)`.
 * src/resources.ts turns this into methods; the generator's naming rule is in
 * scripts/codegen/resources.ts.
 */
export interface ResourceMethodMetadata {
  /** Resource property of the client, e.g. `allowPolicies`. */
  readonly name: string;
  /** Method of the resource, e.g. `update`. */
  readonly method: string;
  /** Path parameters passed as leading arguments, in path order (the client fills the rest, e.g. `account_id`). */
  readonly positional: readonly string[];
  /** What the argument after them is: the request body, the query parameters, or nothing. */
  readonly input: 'body' | 'query' | null;
}

export interface OperationMetadata {
  readonly operationId: string;
  /** Name of the generated wrapper function, e.g. `updateAllowPolicy`. */
  readonly functionName: string;
  /** Its resource method; absent in metadata from older generators (then only `client.call` and `client.operations`). */
  readonly resource?: ResourceMethodMetadata;
  readonly method: HttpMethod;
  /** Path template, e.g. `/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}`. */
  readonly path: string;
  /**
   * Documentation only (`summary`, `description`, `tags`): in the generator's plan, which writes
   * them into the emitted JSDoc, not into the runtime metadata; src/ never reads them.
   */
  readonly summary?: string | null;
  readonly description?: string | null;
  readonly tags?: readonly string[];
  readonly deprecated: boolean;
  readonly security: SecurityAlternatives;
  /** Token permission groups from `x-api-token-group`, e.g. `["Cloud Email Security: Write"]`. */
  readonly permissionGroups: readonly string[];
  readonly parameters: readonly ParameterMetadata[];
  readonly requestBody: RequestBodyMetadata | null;
  /** Status code (or range like `2XX`) of the JSON success response. */
  readonly successStatus: string;
  readonly responseContentType: string;
  /**
   * The success envelope's `result` as the spec declares it (type, `nullable`), or null when the
   * success response is not an envelope. A 2xx whose `result` is null or absent where this is a
   * non-nullable object or array is an `InvalidResponseError`. Absent (metadata generated before
   * this field existed): not checked.
   */
  readonly resultRule?: ValueRule | null;
  /** Deprecations reachable from this operation's request and response schemas. */
  readonly deprecations: readonly DeprecationMetadata[];
  /** Set when the operation returns one page of a list (absent in metadata from older generators). */
  readonly pagination?: PaginationMetadata;
  /**
   * Properties of an object `result` that are arrays of objects (a batch's `patches`, `posts`…):
   * the response shim runs on their items as on a single result. Absent: none.
   */
  readonly resultArrays?: readonly string[];
}
