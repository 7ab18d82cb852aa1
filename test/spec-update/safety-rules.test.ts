/**
 * Issue 12, scopes 2 and 3: every change that loosens what the client refuses to send is
 * BREAKING ("safety rule lost: review"), names the old rule, quotes the new text, and makes
 * `spec:update` exit 3 (unless --allow-breaking); tightenings get the verdict they deserve;
 * document-level security and servers changes are reported.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffSpecs } from '../../scripts/spec/diff.js';
import type { ChangeReport, JsonValue } from '../../scripts/spec/report.js';
import { EXIT, runSpecUpdate } from '../../scripts/spec/run.js';
import {
  type Doc,
  embedInUpstream,
  POLICY_PATH,
  VENDORED_TEXT,
  vendored,
} from './upstream-fixture.js';

const TODAY = '2026-11-26';
const schemas = (doc: Doc) => doc.components.schemas;
const policy = (doc: Doc) => schemas(doc)['email-security_AllowPolicy'];
const patternType = (doc: Doc) => schemas(doc)['email-security_PatternType'];
const describeAs = (text: string) => (node: Doc) => {
  node.description = text;
};

interface Row {
  /** What the row changes. */
  readonly name: string;
  /** Applied to both versions first (a rule the vendored spec does not have). */
  readonly given?: (doc: Doc) => void;
  readonly mutate: (doc: Doc) => void;
  /** `severity kind location` of the change the row is about. */
  readonly want: string;
  /** Text the change's message must contain (the old rule, the new text). */
  readonly says: readonly string[];
  readonly exit: number;
}

const SAFETY = 'safety rule lost: review';

/** Loosenings: the client would send something it refused before. Each is BREAKING, exit 3. */
const LOOSENINGS: readonly Row[] = [
  {
    name: 'a write-forbidden enum value becomes writable (the "cannot be used" sentence reworded away)',
    mutate: (doc) =>
      describeAs(
        'Type of pattern matching. Note: UNKNOWN is deprecated; it may be returned for existing entries.',
      )(patternType(doc)),
    want: 'breaking write-rule-lost email-security_PatternType value "UNKNOWN"',
    says: [
      SAFETY,
      'the client refused to send it',
      '"Type of pattern matching. Note: UNKNOWN is deprecated; it may be returned for existing entries."',
    ],
    exit: EXIT.breaking,
  },
  {
    name: 'the rule rewritten as a bullet list the reader cannot read ("deprecated" still next to the value)',
    mutate: (doc) =>
      describeAs(
        'Type of pattern matching.\n\n* **UNKNOWN** (legacy; do not send it on create/update)\n* `EMAIL`, `DOMAIN`, `IP`',
      )(patternType(doc)),
    want: 'breaking undeprecated email-security_PatternType value "UNKNOWN"',
    says: [SAFETY, 'the client refused to send it', 'legacy; do not send it'],
    exit: EXIT.breaking,
  },
  {
    name: 'a deprecation disappears while "deprecated" is still in the text',
    mutate: (doc) => {
      delete policy(doc).properties.is_sender.deprecated;
    },
    want: 'breaking undeprecated email-security_AllowPolicy.is_sender',
    says: [
      SAFETY,
      'end of life 2026-07-01',
      'migrated to is_trusted_sender',
      'text still says deprecated',
      '"Deprecated as of July 1, 2025.',
    ],
    exit: EXIT.breaking,
  },
  {
    name: 'a deprecation with rules lifted entirely (text rewritten, flag removed)',
    mutate: (doc) => {
      policy(doc).properties.is_spoof = {
        type: 'boolean',
        description: 'Whether spoofing is allowed.',
      };
    },
    want: 'breaking undeprecated email-security_AllowPolicy.is_spoof',
    says: [SAFETY, 'migrated to is_acceptable_sender', '"Whether spoofing is allowed."'],
    exit: EXIT.breaking,
  },
  {
    name: 'an end of life moves earlier',
    mutate: (doc) => {
      const property = policy(doc).properties.is_recipient;
      property.description = property.description.replace('July 1, 2026', 'March 1, 2026');
    },
    want: 'breaking end-of-life-changed email-security_AllowPolicy.is_recipient',
    says: ['end of life moved earlier: 2026-07-01 → 2026-03-01'],
    exit: EXIT.breaking,
  },
  {
    name: 'an end of life is dropped (reworded to "will be removed eventually")',
    mutate: (doc) => {
      const property = policy(doc).properties.is_recipient;
      property.description = property.description.replace(
        'End of life: July 1, 2026.',
        'It will be removed eventually.',
      );
    },
    want: 'breaking end-of-life-changed email-security_AllowPolicy.is_recipient',
    says: [
      SAFETY,
      'end of life 2026-07-01 (never sent after it)',
      'It will be removed eventually.',
    ],
    exit: EXIT.breaking,
  },
  {
    name: 'a replacement is dropped',
    mutate: (doc) => {
      const property = policy(doc).properties.is_sender;
      property.description = property.description.replace('Use `is_trusted_sender` instead. ', '');
    },
    want: 'breaking replacement-changed email-security_AllowPolicy.is_sender',
    says: [SAFETY, 'migrated to is_trusted_sender'],
    exit: EXIT.breaking,
  },
  {
    name: 'a replacement changes',
    mutate: (doc) => {
      const property = policy(doc).properties.is_sender;
      property.description = property.description.replace(
        'is_trusted_sender',
        'is_acceptable_sender',
      );
    },
    want: 'breaking replacement-changed email-security_AllowPolicy.is_sender',
    says: ['replacement changed: is_trusted_sender → is_acceptable_sender'],
    exit: EXIT.breaking,
  },
  {
    name: 'readOnly is removed from a field of a request schema',
    mutate: (doc) => {
      delete policy(doc).properties.modified_at.readOnly;
    },
    want: 'breaking readonly-changed email-security_AllowPolicy.modified_at',
    says: [SAFETY, 'the client refused to send it (readOnly)'],
    exit: EXIT.breaking,
  },
  {
    name: 'maxLength widened on a request schema',
    mutate: (doc) => {
      policy(doc).properties.comments.maxLength = 4096;
    },
    want: 'breaking constraint-changed email-security_AllowPolicy.comments',
    says: [SAFETY, 'maxLength loosened: 1024 → 4096'],
    exit: EXIT.breaking,
  },
  {
    name: 'maxLength removed from a request schema',
    mutate: (doc) => {
      delete policy(doc).properties.comments.maxLength;
    },
    want: 'breaking constraint-changed email-security_AllowPolicy.comments',
    says: [SAFETY, 'maxLength loosened: 1024 → none'],
    exit: EXIT.breaking,
  },
  {
    name: 'minProperties removed from the update body',
    mutate: (doc) => {
      delete schemas(doc)['email-security_UpdateAllowPolicy'].minProperties;
    },
    want: 'breaking constraint-changed email-security_UpdateAllowPolicy',
    says: [SAFETY, 'minProperties loosened: 1 → none'],
    exit: EXIT.breaking,
  },
  {
    name: 'a pattern removed from a request schema',
    given: (doc) => {
      policy(doc).properties.pattern.pattern = '^[^\\s]+$';
    },
    mutate: (doc) => {
      delete policy(doc).properties.pattern.pattern;
    },
    want: 'breaking constraint-changed email-security_AllowPolicy.pattern',
    says: [SAFETY, 'pattern loosened: "^[^\\\\s]+$" → none'],
    exit: EXIT.breaking,
  },
  {
    name: 'additionalProperties: false dropped from a request schema',
    given: (doc) => {
      policy(doc).additionalProperties = false;
    },
    mutate: (doc) => {
      delete policy(doc).additionalProperties;
    },
    want: 'breaking constraint-changed email-security_AllowPolicy',
    says: [SAFETY, 'additionalProperties loosened: false → none'],
    exit: EXIT.breaking,
  },
  {
    name: 'an enum value added on a request schema',
    mutate: (doc) => {
      patternType(doc).enum.push('REGEX');
    },
    want: 'breaking enum-value-added email-security_PatternType',
    says: [SAFETY, 'the client now lets requests send "REGEX"'],
    exit: EXIT.breaking,
  },
  {
    name: 'an enum removed from a request schema (any value allowed)',
    mutate: (doc) => {
      delete patternType(doc).enum;
      patternType(doc).type = 'string';
    },
    want: 'breaking constraint-changed email-security_PatternType',
    says: [
      SAFETY,
      'enum removed (requests were limited to "EMAIL", "DOMAIN", "IP", "UNKNOWN"; now any value)',
    ],
    exit: EXIT.breaking,
  },
];

/** Tightenings and neutral changes: the verdict they deserve. */
const OTHERS: readonly Row[] = [
  {
    name: 'a pattern added to a request schema',
    mutate: (doc) => {
      policy(doc).properties.pattern.pattern = '^[^\\s]+$';
    },
    want: 'breaking constraint-changed email-security_AllowPolicy.pattern',
    says: [
      'pattern tightened: none → "^[^\\\\s]+$": requests that passed before may now be refused',
    ],
    exit: EXIT.breaking,
  },
  {
    name: 'maxLength lowered on a request schema (requests that passed may now be refused)',
    mutate: (doc) => {
      policy(doc).properties.comments.maxLength = 256;
    },
    want: 'breaking constraint-changed email-security_AllowPolicy.comments',
    says: ['maxLength tightened: 1024 → 256: requests that passed before may now be refused'],
    exit: EXIT.breaking,
  },
  {
    name: 'readOnly added to a writable field of a request schema',
    mutate: (doc) => {
      policy(doc).properties.comments.readOnly = true;
    },
    want: 'breaking readonly-changed email-security_AllowPolicy.comments',
    says: ['now readOnly: requests may no longer send it'],
    exit: EXIT.breaking,
  },
  {
    name: 'a new deprecation (the client gains a rule)',
    mutate: (doc) => {
      Object.assign(policy(doc).properties.is_regex, {
        deprecated: true,
        description:
          'Deprecated as of December 1, 2026. Use `pattern_type` instead. End of life: June 1, 2027.',
      });
    },
    want: 'notice deprecated email-security_AllowPolicy.is_regex',
    says: ['newly deprecated (use pattern_type, end of life 2027-06-01)'],
    exit: EXIT.ok,
  },
  {
    name: 'an end of life moved later',
    mutate: (doc) => {
      const property = policy(doc).properties.is_spoof;
      property.description = property.description.replace('July 1, 2026', 'January 1, 2027');
    },
    want: 'info end-of-life-changed email-security_AllowPolicy.is_spoof',
    says: ['end of life moved later: 2026-07-01 → 2027-01-01'],
    exit: EXIT.ok,
  },
  {
    name: 'a minimum loosened on a response-only schema (callers send nothing there)',
    mutate: (doc) => {
      schemas(doc)['email-security_EmailsProcessed'].properties.total_emails_processed.minimum = -1;
    },
    want: 'info constraint-changed email-security_EmailsProcessed.total_emails_processed',
    says: ['minimum loosened: 0 → -1'],
    exit: EXIT.ok,
  },
  {
    name: 'document-level security added',
    mutate: (doc) => {
      doc.security = [{ api_token: [] }];
    },
    want: 'notice document-security-changed security (document)',
    says: ['document-level security added: none → api_token'],
    exit: EXIT.ok,
  },
  {
    name: 'servers changed',
    mutate: (doc) => {
      doc.servers = [{ url: 'https://api.cloudflare.com/client/v5' }];
    },
    want: 'notice servers-changed servers (document)',
    says: [
      'servers changed: https://api.cloudflare.com/client/v4 → https://api.cloudflare.com/client/v5',
    ],
    exit: EXIT.ok,
  },
];

function given(row: Row): Doc {
  const doc = vendored();
  row.given?.(doc);
  return doc;
}

function reportFor(row: Row): ChangeReport {
  const after = given(row);
  row.mutate(after);
  return diffSpecs(given(row) as JsonValue, after as JsonValue, { today: TODAY });
}

const describeChange = (change: { severity: string; kind: string; location: string }) =>
  `${change.severity} ${change.kind} ${change.location}`;

function allChanges(report: ChangeReport) {
  return [
    ...report.operations,
    ...report.schemas,
    ...report.deprecations,
    ...report.security,
    ...report.document,
  ];
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'safety-rules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function specUpdate(row: Row, ...flags: string[]) {
  const out = join(dir, 'vendored.openapi.json');
  const previous = `${JSON.stringify(given(row), null, 2)}\n`;
  await writeFile(out, row.given ? previous : VENDORED_TEXT);
  const doc = given(row);
  row.mutate(doc);
  const upstream = join(dir, 'openapi.json');
  await writeFile(upstream, JSON.stringify(embedInUpstream(doc)));
  let stdout = '';
  const code = await runSpecUpdate([upstream, '--out', out, '--today', TODAY, ...flags], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: () => {},
  });
  const written = await readFile(out, 'utf8');
  return { code, stdout, unchanged: written === (row.given ? previous : VENDORED_TEXT) };
}

describe.each([
  ['loosening', LOOSENINGS],
  ['tightening or neutral', OTHERS],
])('%s changes', (_group, rows) => {
  test.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const report = reportFor(row);
    const change = allChanges(report).find((entry) => describeChange(entry) === row.want);
    expect(
      change,
      `${row.want} in ${allChanges(report).map(describeChange).join('\n')}`,
    ).toBeDefined();
    for (const text of row.says) expect(change?.message).toContain(text);
    expect(report.verdict.breaking).toBe(row.exit === EXIT.breaking);

    const result = await specUpdate(row);
    expect(result.code).toBe(row.exit);
    expect(result.unchanged).toBe(row.exit === EXIT.breaking);
    if (row.exit === EXIT.breaking) {
      expect(result.stdout).toContain('Verdict: BREAKING');
      const allowed = await specUpdate(row, '--allow-breaking');
      expect(allowed.code).toBe(EXIT.ok);
      expect(allowed.unchanged).toBe(false);
    }
  });
});

test('every loosening starts its message with "safety rule lost: review" or is an end of life moved earlier', () => {
  for (const row of LOOSENINGS) {
    const change = allChanges(reportFor(row)).find((entry) => describeChange(entry) === row.want);
    expect(
      change?.message.startsWith(SAFETY) ||
        change?.message.includes(`: ${SAFETY}`) ||
        row.name.includes('earlier') ||
        row.name.includes('replacement changes'),
      `${row.name}: ${change?.message}`,
    ).toBe(true);
  }
});

test('the update operation still sees the vendored rule before any row (fixture sanity)', () => {
  expect(vendored().paths[POLICY_PATH].patch.operationId).toBe(
    'email_security_update_allow_policy',
  );
  expect(patternType(vendored()).description).toContain('cannot be used when creating or updating');
});
