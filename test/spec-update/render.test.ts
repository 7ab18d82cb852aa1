import { describe, expect, it } from 'vitest';
import { renderJson } from '../../scripts/spec/render-json.js';
import { renderMarkdown } from '../../scripts/spec/render-markdown.js';
import { renderText } from '../../scripts/spec/render-text.js';
import type { ChangeReport } from '../../scripts/spec/report.js';

const base: ChangeReport = {
  reportVersion: 1,
  today: '2026-11-26',
  before: { operations: 33, schemas: 54 },
  after: { operations: 34, schemas: 54 },
  changed: true,
  operations: [
    {
      kind: 'operation-added',
      severity: 'info',
      location: 'PUT /a/{id}',
      message: 'operation added (replace_a)',
    },
  ],
  schemas: [
    {
      kind: 'type-changed',
      severity: 'breaking',
      location: 'X.id',
      message: 'type changed from string (uuid) to integer',
      before: 'string (uuid)',
      after: 'integer',
    },
  ],
  deprecations: [],
  pastEndOfLife: [{ location: 'X.old', endOfLife: '2026-11-25', replacement: 'new', daysPast: 1 }],
  security: [],
  document: [],
  verdict: {
    breaking: true,
    reasons: ['X.id: type changed from string (uuid) to integer'],
    notes: ['X.old: past end of life (2026-11-25, 1 days ago); use new'],
  },
};

describe('report renderers', () => {
  it('text: sections with severities, items past end of life, then the verdict', () => {
    expect(renderText(base)).toBe(
      [
        'Email Security spec changes (judged on 2026-11-26)',
        'Operations: 33 -> 34; schemas: 54 -> 54',
        '',
        'Operations (1)',
        '  info      PUT /a/{id}: operation added (replace_a)',
        '',
        'Schemas (1)',
        '  BREAKING  X.id: type changed from string (uuid) to integer',
        '',
        'Past end of life (1)',
        '  X.old: past end of life (2026-11-25, 1 day ago); use new',
        '',
        'Verdict: BREAKING for users of this library (1 breaking change):',
        '  - X.id: type changed from string (uuid) to integer',
        '',
      ].join('\n'),
    );
  });

  it('text: an unchanged spec says so and is not breaking', () => {
    const unchanged: ChangeReport = {
      ...base,
      changed: false,
      operations: [],
      schemas: [],
      pastEndOfLife: [],
      verdict: { breaking: false, reasons: [], notes: [] },
    };
    expect(renderText(unchanged)).toContain(
      'No changes to operations, schemas, deprecations or security.',
    );
    expect(renderText(unchanged)).toContain('Verdict: not breaking for users of this library.');
  });

  it('markdown: verdict first, reasons, one table per section, cells escaped', () => {
    const report: ChangeReport = {
      ...base,
      schemas: [{ ...(base.schemas[0] as ChangeReport['schemas'][number]), message: 'a | b' }],
    };
    const markdown = renderMarkdown(report);
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '## Email Security spec update',
      '',
      '**Verdict: breaking** for users of this library (1 breaking change).',
    ]);
    expect(markdown).toContain('### Why it is breaking\n\n- `X.id`: a \\| b\n');
    expect(markdown).toContain('| **breaking** | `X.id` | a \\| b |');
    expect(markdown).toContain('| compatible | `PUT /a/{id}` | operation added (replace_a) |');
    expect(markdown).toContain('- `X.old`: end of life 2026-11-25 (1 day ago); use `new`');
    expect(markdown.endsWith('\n')).toBe(true);
  });

  it('json: the report itself, parseable', () => {
    expect(JSON.parse(renderJson(base))).toEqual(base);
  });
});
