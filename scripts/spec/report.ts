/**
 * The change report `spec:update` prints: what changed in the Email Security part of the
 * upstream document between the vendored file ("before") and the new slice ("after").
 *
 * Everything here is plain JSON data so `--json` can print it as is for CI bots, and the text
 * and Markdown renderers are pure functions of it.
 */

/** JSON values, as found in an OpenAPI document. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * - `breaking`: breaks a caller of the wrapped operations or code using the generated types
 *   (e.g. a property removed, a type changed, a request property became required).
 * - `notice`: compatible, but worth a look before merging (e.g. a new enum value in a response
 *   breaks exhaustive `switch`es; a newly deprecated field).
 * - `info`: compatible (e.g. an optional property or an operation added).
 */
export type Severity = 'breaking' | 'notice' | 'info';

export type OperationChangeKind =
  | 'operation-added'
  | 'operation-removed'
  /** Same operationId, different method or path. */
  | 'operation-moved'
  /** Same method and path, different operationId (the generated function name follows it). */
  | 'operation-renamed'
  | 'parameter-added'
  | 'parameter-removed'
  | 'parameter-required-changed'
  | 'request-body-added'
  | 'request-body-removed'
  | 'request-body-required-changed'
  | 'media-type-added'
  | 'media-type-removed'
  | 'response-added'
  | 'response-removed';

export type SchemaChangeKind =
  | 'schema-added'
  | 'schema-removed'
  | 'property-added'
  | 'property-removed'
  /** `type`, `format`, a `$ref` target or the composition (`allOf`/`oneOf`/`anyOf`) changed. */
  | 'type-changed'
  | 'required-added'
  | 'required-removed'
  | 'nullable-changed'
  | 'readonly-changed'
  | 'enum-value-added'
  | 'enum-value-removed'
  /** A validation keyword (`maxLength`, `pattern`, `minimum`, `additionalProperties`…) changed. */
  | 'constraint-changed';

export type DeprecationChangeKind =
  | 'deprecated'
  | 'undeprecated'
  | 'end-of-life-changed'
  | 'replacement-changed'
  /** Still deprecated, but no longer readable as "cannot be sent in requests". */
  | 'write-rule-lost';

/** Document-level settings: the root `security` and `servers`. */
export type DocumentChangeKind = 'document-security-changed' | 'servers-changed';

export type SecurityChangeKind =
  | 'security-alternative-added'
  | 'security-alternative-removed'
  | 'permission-group-added'
  | 'permission-group-removed'
  | 'security-scheme-added'
  | 'security-scheme-removed'
  | 'security-scheme-changed';

export type ChangeKind =
  | OperationChangeKind
  | SchemaChangeKind
  | DeprecationChangeKind
  | SecurityChangeKind
  | DocumentChangeKind;

/** One change. `location` names where it is; `message` is the one-line human description. */
export interface Change<K extends ChangeKind = ChangeKind> {
  readonly kind: K;
  readonly severity: Severity;
  /**
   * Where: an operation (`PATCH /accounts/{account_id}/…`), a component schema with a property
   * path (`email-security_AllowPolicy.is_sender`, `[]` for array items), a component parameter
   * (`parameter email-security_page`), or an operation's inline schema
   * (`PATCH /… response 200 (application/json).result`).
   */
  readonly location: string;
  readonly message: string;
  /** The value before/after the change where one exists (a type, an enum value, a date…). */
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

/** A deprecated item whose end of life is today or earlier: callers must have migrated. */
export interface PastEndOfLife {
  readonly location: string;
  /** ISO date (YYYY-MM-DD). */
  readonly endOfLife: string;
  readonly replacement: string | null;
  /** Whole days between the end of life and `today` (0 on the day itself). */
  readonly daysPast: number;
}

export interface DocumentSummary {
  readonly operations: number;
  readonly schemas: number;
}

export interface Verdict {
  /** True when at least one change has severity `breaking`. */
  readonly breaking: boolean;
  /** One line per breaking change (`location: message`). */
  readonly reasons: readonly string[];
  /** One line per `notice` change and per item past its end of life. */
  readonly notes: readonly string[];
}

export interface ChangeReport {
  /** Bumped when the shape of this report changes incompatibly (CI bots read it). */
  readonly reportVersion: 1;
  /** The date deprecations are judged against (ISO YYYY-MM-DD). */
  readonly today: string;
  readonly before: DocumentSummary;
  readonly after: DocumentSummary;
  /** False when every list below except `pastEndOfLife` is empty. */
  readonly changed: boolean;
  readonly operations: readonly Change<OperationChangeKind>[];
  readonly schemas: readonly Change<SchemaChangeKind>[];
  readonly deprecations: readonly Change<DeprecationChangeKind>[];
  /** Not a change: the state of the new document on `today`. */
  readonly pastEndOfLife: readonly PastEndOfLife[];
  readonly security: readonly Change<SecurityChangeKind>[];
  /** The root `security` (inherited by operations without their own) and `servers`. */
  readonly document: readonly Change<DocumentChangeKind>[];
  readonly verdict: Verdict;
}
