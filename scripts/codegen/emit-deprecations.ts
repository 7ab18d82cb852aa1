import type { SpecDeprecation } from './deprecations.js';
import { type HeaderInput, markdownHeader } from './header.js';
import { markdownCellText as cell, markdownCode as code } from './text-safety.js';

function whatIsDeprecated(item: SpecDeprecation): string {
  if (item.kind === 'enum-value')
    return `${item.field ? `${code(item.field)} = ` : 'value '}${code(String(item.value))}`;
  if (item.kind === 'operation') return `operation ${cell(item.location)}`;
  if (item.kind === 'parameter') return `parameter ${code(item.field ?? '')}`;
  return code(item.field ?? '');
}

function notes(item: SpecDeprecation): string {
  const parts = [
    item.readOnly ? 'read-only (response only)' : '',
    item.forbiddenOnWrite ? 'cannot be sent in requests' : '',
    !item.replacement && !item.deprecatedSince && !item.endOfLife
      ? item.text
        ? `"${cell(item.text)}"`
        : 'no description in the spec'
      : '',
  ];
  return parts.filter(Boolean).join('; ');
}

/** `generated/deprecations.md`: a table of every deprecation in the spec (for the README). */
export function emitDeprecationsMarkdown(
  deprecations: readonly SpecDeprecation[],
  header: HeaderInput,
): string {
  const rows = deprecations.map((item) =>
    [
      item.schema ? code(item.schema) : '—',
      whatIsDeprecated(item),
      item.replacement ? code(item.replacement) : '—',
      item.deprecatedSince ?? '—',
      item.endOfLife ?? '—',
      notes(item) || '—',
    ].join(' | '),
  );
  return [
    markdownHeader(header),
    `Deprecations found in ${code(header.specFile)} (${deprecations.length}):`,
    '',
    '| Schema | Field / value | Replacement | Deprecated since | End of life | Notes |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
    '',
  ].join('\n');
}
