/**
 * Scope 5 of issue 12: spec text is escaped for where it lands, the output always type-checks,
 * and what would not (circular compositions, broken emitted code) is refused with generated/
 * and README.md untouched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assertMarkdownIsSound,
  assertTypeScriptParses,
} from '../../scripts/codegen/check-output.js';
import { emitSchema } from '../../scripts/codegen/emit-schema.js';
import { SECTION_BEGIN, SECTION_END } from '../../scripts/codegen/readme-section.js';
import { validateDocument } from '../../scripts/codegen/validate.js';
import { removeDir, repoRoot } from '../package/packed-package.js';
import { typecheckProject } from '../support/tsc.js';
import {
  createHostileRepo,
  type Doc,
  hostile,
  isToolMessage,
  POLICY_SCHEMA,
  protectedFiles,
  runScript,
  startCanaryServer,
  UPDATE_PATH,
  writeSpec,
} from './support.js';

let dir = '';
beforeAll(() => {
  dir = createHostileRepo();
  writeFileSync(
    join(dir, 'tsconfig.hostile.json'),
    JSON.stringify({ extends: './tsconfig.json', include: ['src', 'generated'] }),
  );
}, 60_000);
afterAll(() => removeDir(dir));

/** Text that ends comments, strings, template literals, table cells and the README section. */
const EVIL = [
  '*/ export const pwned = 1; /*',
  '/** nested */',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-literal placeholder is the point
  'it\'s "quoted" `ticked` ${process.exit(1)} \\ back\\slash',
  'line\r\nbreak\u2028separator\u001b[31mred',
  '\n@deprecated fake tag\n@internal',
  `${SECTION_END} ${SECTION_BEGIN} <!-- comment --> <script>alert(1)</script>`,
  '| a | b | [link](http://example.invalid) _em_ **strong**',
].join(' ');

function withEvilText(doc: Doc): void {
  const policy = doc.components.schemas[POLICY_SCHEMA];
  const operation = doc.paths[UPDATE_PATH].patch;
  doc.info.title = EVIL;
  doc.info.description = EVIL;
  operation.summary = EVIL;
  operation.description = EVIL;
  policy.description = EVIL;
  policy.title = EVIL;
  policy.properties.comments.description = EVIL;
  policy.properties.comments.example = EVIL;
  policy.properties.comments.default = EVIL;
  policy.properties.pattern.format = EVIL;
  policy.properties[`weird*/'"\`\${name}`] = { type: 'string', description: EVIL };
  policy.properties.evil_deprecated = { type: 'boolean', deprecated: true, description: EVIL };
  const patternType = doc.components.schemas['email-security_PatternType'];
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-literal placeholder is the point
  patternType.enum.push("BAD'*/`${x}`");
  patternType.description = `${patternType.description} ${EVIL}`;
}

describe('hostile text in every place it lands', () => {
  test('generates, type-checks, keeps one README section, and a rerun changes nothing', async () => {
    const spec = writeSpec(dir, 'evil-text.json', hostile(withEvilText));
    const first = await runScript(dir, 'generate.ts', ['--spec', spec], 90_000);
    expect(first.code, first.stderr).toBe(0);

    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme.split(SECTION_BEGIN)).toHaveLength(2);
    expect(readme.split(SECTION_END)).toHaveLength(2);
    expect(readme).toContain('evil_deprecated');
    const table = readme.slice(readme.indexOf(SECTION_BEGIN), readme.indexOf(SECTION_END));
    for (const row of table.split('\n').filter((line) => line.startsWith('| `'))) {
      expect(row.split(/(?<!\\)\|/), row).toHaveLength(8); // 6 cells between 7 pipes
    }
    expect(table, table).not.toMatch(/<script|<!-- comment|(?<!\\)\]\(http/);

    const operations = readFileSync(join(dir, 'generated', 'operations.ts'), 'utf8');
    const schema = readFileSync(join(dir, 'generated', 'schema.ts'), 'utf8');
    for (const file of [operations, schema]) {
      expect(file).not.toMatch(/^\s*\*\s*@deprecated fake/m);
      expect(file).not.toMatch(/^\s*\*\s*@internal/m);
      expect(file).not.toContain('\u001b');
    }

    const checked = await typecheckProject(join(dir, 'tsconfig.hostile.json'), {
      timeoutMs: 120_000,
    });
    expect(checked.output).toBe('');
    expect(checked.ok).toBe(true);

    const second = await runScript(dir, 'generate.ts', ['--spec', spec, '--no-cache'], 90_000);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('up to date');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(readme);
  }, 240_000);
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** [case, schemas added, the cycle the message must name] */
const CYCLES: [string, Doc, string][] = [
  [
    'A allOf B, B allOf A',
    { A: { allOf: [ref('B'), { type: 'object' }] }, B: { allOf: [ref('A')] } },
    'components.schemas.A.allOf[0] → components.schemas.B.allOf[0] → components.schemas.A.',
  ],
  [
    'a schema allOf itself',
    { Self: { allOf: [ref('Self')] } },
    'components.schemas.Self.allOf[0] → components.schemas.Self.',
  ],
  [
    'oneOf/anyOf through each other',
    { O: { oneOf: [ref('P')] }, P: { anyOf: [ref('O')] } },
    'oneOf[0]',
  ],
  [
    'an array of itself',
    { L: { type: 'array', items: ref('L') } },
    'components.schemas.L.items → components.schemas.L.',
  ],
  [
    'a $ref chain into an allOf loop',
    { R: ref('S'), S: { allOf: [{ allOf: [ref('R')] }] } },
    'components.schemas.R → components.schemas.S.allOf[0].allOf[0] → components.schemas.R.',
  ],
];

describe('circular compositions are refused, naming the cycle', () => {
  test.each(CYCLES)('%s', (_name, schemas, cycle) => {
    const doc = hostile((spec) => Object.assign(spec.components.schemas, schemas));
    expect(() => validateDocument(doc, 'cyclic.json')).toThrow(
      /defines a schema in terms of itself: .*TypeScript cannot express/,
    );
    expect(() => validateDocument(doc, 'cyclic.json')).toThrow(cycle);
  });

  test('recursion through properties is fine (an object may contain itself)', () => {
    const doc = hostile((spec) => {
      spec.components.schemas.Tree = {
        type: 'object',
        properties: { children: { type: 'array', items: ref('Tree') }, parent: ref('Tree') },
        additionalProperties: ref('Tree'),
      };
    });
    expect(() => validateDocument(doc, 'tree.json')).not.toThrow();
  });

  test('through the real command: exit 1, one message, generated/ and README.md untouched', async () => {
    const spec = writeSpec(
      dir,
      'cyclic.json',
      hostile((doc) => Object.assign(doc.components.schemas, CYCLES[0]?.[1])),
    );
    const before = protectedFiles(dir);
    const result = await runScript(dir, 'generate.ts', ['--spec', spec], 30_000);
    expect(result.code, result.stderr).toBe(1);
    expect(isToolMessage(result.stderr, 'generate'), result.stderr).toBe(true);
    expect(result.stderr).toContain('defines a schema in terms of itself');
    expect(protectedFiles(dir)).toEqual(before);
  }, 40_000);
});

describe('a reworded rule the reader cannot read', () => {
  test('is refused by the real command: exit 1, the rule and its text named, nothing written', async () => {
    const spec = writeSpec(
      dir,
      'reworded.json',
      hostile((doc) => {
        doc.components.schemas['email-security_PatternType'].description =
          'Type of pattern matching. UNKNOWN is deprecated; clients must not ever transmit it with create or update calls.';
      }),
    );
    const before = protectedFiles(dir);
    const result = await runScript(dir, 'generate.ts', ['--spec', spec], 30_000);
    expect(result.code, result.stderr).toBe(1);
    expect(isToolMessage(result.stderr, 'generate'), result.stderr).toBe(true);
    expect(result.stderr).toContain('cannot read whether it may be sent');
    expect(result.stderr).toContain('clients must not ever transmit it');
    expect(protectedFiles(dir)).toEqual(before);
  }, 40_000);
});

/** The check each emitted file gets before anything is written (TypeScript where it is emitted). */
function assertSound(file: { path: string; contents: string }): void {
  if (file.path.endsWith('.md')) assertMarkdownIsSound(file);
  else assertTypeScriptParses(file);
}

describe('the last check before writing', () => {
  test.each([
    [
      'a comment closed early',
      'schema.ts',
      '/** a */ b */\nexport type A = 1;\n',
      /schema\.ts would be broken at line 1, column \d+: TS\d+/,
    ],
    [
      'a string left open',
      'operations.ts',
      "export const a = 'x\n;\n",
      /operations\.ts would be broken at line 1/,
    ],
    [
      'a README marker in the table',
      'deprecations.md',
      `| x ${SECTION_END} |\n`,
      /contains the README marker/,
    ],
  ])('%s is refused', (_name, path, contents, message) => {
    expect(() => assertSound({ path, contents })).toThrow(message);
  });

  test('the output generated from the vendored spec passes', () => {
    const files = ['schema.ts', 'operations.ts', 'deprecations.md'].map((path) => ({
      path,
      contents: readFileSync(join(repoRoot, 'generated', path), 'utf8'),
    }));
    for (const file of files) expect(() => assertSound(file)).not.toThrow();
  });

  test('a README with a second pair of markers fails before generated/ is touched', async () => {
    const readmePath = join(dir, 'README.md');
    const readme = readFileSync(readmePath, 'utf8');
    writeFileSync(readmePath, `${readme}\n${SECTION_BEGIN}\n${SECTION_END}\n`);
    try {
      const spec = writeSpec(
        dir,
        'changed.json',
        hostile((doc) => {
          doc.info.description = 'changed, so generated/ would be rewritten';
        }),
      );
      const before = protectedFiles(dir);
      const result = await runScript(dir, 'generate.ts', ['--spec', spec], 30_000);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(
        /README\.md has 2 .* markers: the markers .* must appear once each/,
      );
      expect(protectedFiles(dir)).toEqual(before);
    } finally {
      writeFileSync(readmePath, readme);
    }
  }, 40_000);

  test('openapi-typescript is never handed a reference outside the document, whoever calls it', async () => {
    const server = await startCanaryServer();
    try {
      const doc = hostile((spec) => {
        spec.components.schemas[POLICY_SCHEMA].properties.comments = {
          $ref: `${server.url}/x.json`,
        };
      });
      await expect(
        emitSchema(doc, { specFile: 'direct.json', specSha256: '0'.repeat(64) }),
      ).rejects.toThrow(/points outside the document/);
      expect(server.hits()).toBe(0);
    } finally {
      await server.close();
    }
  });
});
