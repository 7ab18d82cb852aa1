/**
 * Bundle sizes (esbuild, minified, gzip) next to plain openapi-fetch doing the same PATCH:
 * - bench/entry-update.ts, an application that only calls `allowPolicies.update` through the
 *   modular `createClient` (src/core.ts). Target (issue 14): ≤ 20 KB min+gzip; issue 11's
 *   figure before the reliability additions is printed beside it for information.
 * - bench/entry-all.ts, an application that uses every resource (informational).
 * Run: npx tsx bench/bundle.bench.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import ts from 'typescript';
import { UPDATE_ONLY_LIMIT_BYTES } from './bundle-limit.js';
import { BUNDLE_OPTIONS } from './bundle-options.js';
import { printResults } from './report.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const LIMIT = UPDATE_ONLY_LIMIT_BYTES;
/** Issue 11's update-only figure, before the reliability issue's additions (information only). */
const ISSUE_11_REFERENCE = 15.3 * 1024;

/** Leaves generated/operations out of a bundle: what src/ weighs without any operation's metadata. */
const withoutGenerated: Plugin = {
  name: 'without-generated',
  setup(build) {
    build.onResolve({ filter: /\/generated\/operations(\.js)?$/ }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

async function measure(entry: string, external: string[] = [], plugins: Plugin[] = []) {
  const result = await build({
    external,
    plugins,
    ...BUNDLE_OPTIONS,
    entryPoints: [entry],
    metafile: true,
    absWorkingDir: ROOT,
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return {
    minified: code.length,
    gzipped: gzipSync(code, { level: 9 }).length,
    metafile: result.metafile,
    code: new TextDecoder().decode(code),
  };
}

/** Every string, template and regex literal of a bundle, outermost first. */
function literals(code: string): { file: ts.SourceFile; nodes: ts.Node[] } {
  const file = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.ES2022, true);
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node) ||
      ts.isRegularExpressionLiteral(node)
    ) {
      nodes.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { file, nodes };
}

/**
 * The text the library's own code carries: every string, template and regex literal (messages,
 * header names, the spec facts in the generated metadata), joined. No implementation of the same
 * behaviour and messages can be smaller than this, gzipped.
 */
function literalText(code: string): string {
  return literals(code)
    .nodes.flatMap((node) => {
      if (ts.isTemplateExpression(node)) {
        return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
      }
      return ts.isRegularExpressionLiteral(node) ? [node.text] : [(node as ts.StringLiteral).text];
    })
    .join('\0');
}

/**
 * The bundle with every literal emptied (`""`, `/x/`): what its logic alone weighs, with no
 * message, header name or spec fact left. Not runnable; a floor for this design's code.
 */
function withoutLiterals(code: string): string {
  const { file, nodes } = literals(code);
  let out = '';
  let from = 0;
  for (const node of nodes) {
    const start = node.getStart(file);
    if (start < from) continue; // inside a template already emptied
    out += code.slice(from, start) + (ts.isRegularExpressionLiteral(node) ? '/x/' : '""');
    from = node.getEnd();
  }
  return out + code.slice(from);
}

function topInputs(metafile: Metafile, count: number): string[] {
  const output = Object.values(metafile.outputs)[0];
  return Object.entries(output?.inputs ?? {})
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, count)
    .map(([file, info]) => `    ${String(info.bytesInOutput).padStart(6)} B  ${file}`);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;

const scratch = mkdtempSync(join(tmpdir(), 'bundle-bench-'));
try {
  const baselineEntry = join(scratch, 'openapi-fetch-entry.ts');
  writeFileSync(
    baselineEntry,
    `import createClient from ${JSON.stringify(join(ROOT, 'node_modules/openapi-fetch/dist/index.mjs'))};
const client = createClient({ baseUrl: 'https://api.cloudflare.com/client/v4' });
export const update = (policyId) => client.PATCH('/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}', {
  params: { path: { account_id: '023e105f4ecef8ad9ca31a8372d0c353', policy_id: policyId } },
  body: { is_trusted_sender: true, pattern: 'ceo@example.com', pattern_type: 'EMAIL' },
  headers: { Authorization: 'Bearer ' + process.env.CLOUDFLARE_API_TOKEN },
});
`,
  );
  const baseline = await measure(baselineEntry);
  const library = await measure(join(ROOT, 'bench/entry-update.ts'));
  console.log(
    `plain openapi-fetch PATCH: ${kb(baseline.minified)} min, ${kb(baseline.gzipped)} min+gzip`,
  );
  console.log(
    `library allowPolicies.update (createClient, one operation): ${kb(library.minified)} min, ${kb(library.gzipped)} min+gzip ` +
      `(${(library.gzipped / baseline.gzipped).toFixed(2)}× openapi-fetch; limit ${kb(LIMIT)}: ${library.gzipped <= LIMIT ? 'OK' : 'OVER'}; ` +
      `issue 11's reference: ${kb(ISSUE_11_REFERENCE)})`,
  );
  const all = await measure(join(ROOT, 'bench/entry-all.ts'));
  console.log(
    `library, every resource (createEmailSecurityClient): ${kb(all.minified)} min, ${kb(all.gzipped)} min+gzip`,
  );
  const own = await measure(join(ROOT, 'bench/entry-update.ts'), ['openapi-fetch']);
  const literals = literalText(own.code);
  console.log(
    `  of which the library's own code: ${kb(own.minified)} min, ${kb(own.gzipped)} min+gzip; ` +
      `its string/template/regex literals alone: ${kb(literals.length)}, ` +
      `${kb(gzipSync(literals, { level: 9 }).length)} gzipped`,
  );
  const src = await measure(
    join(ROOT, 'bench/entry-update.ts'),
    ['openapi-fetch'],
    [withoutGenerated],
  );
  console.log(
    `  of which src/ alone (no operation metadata): ${kb(src.minified)} min, ${kb(src.gzipped)} min+gzip`,
  );
  const logicOnly = gzipSync(withoutLiterals(library.code), { level: 9 }).length;
  console.log(
    `  the whole bundle with every literal emptied (logic only): ${kb(logicOnly)} min+gzip`,
  );
  console.log('  largest inputs (minified bytes in output):');
  for (const line of topInputs(library.metafile, 12)) console.log(line);
  printResults([
    {
      unit: 'KB',
      name: 'bundle (min+gzip): allowPolicies.update entry',
      medianMs: library.gzipped / 1024,
      baselineName: 'bundle (min+gzip): openapi-fetch PATCH',
      baselineMedianMs: baseline.gzipped / 1024,
      ratio: library.gzipped / baseline.gzipped,
      target: LIMIT / baseline.gzipped,
    },
    {
      unit: 'KB',
      name: 'bundle (min+gzip): every resource entry',
      medianMs: all.gzipped / 1024,
      baselineName: 'bundle (min+gzip): openapi-fetch PATCH',
      baselineMedianMs: baseline.gzipped / 1024,
      ratio: all.gzipped / baseline.gzipped,
      target: null,
    },
  ]);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
