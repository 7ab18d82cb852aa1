/**
 * The README's extension walkthrough, run as a consumer runs it: the package is built and packed
 * (packed-package.ts), a fresh project gets Cloudflare's document as `openapi.json` (a
 * multi-product one: test/support/multi-product-document.ts), then EXACTLY the commands of the
 * README's walkthrough block run there with `sh` (npm from the local cache, the bin on plain
 * Node from the tarball). The only stand-in: the project's package.json names the package as
 * `file:<tarball>`, so the README's `npm install <name>` installs the tarball instead of the
 * registry's copy. Then the README's consumer file is type-checked strictly (TypeScript 5.9 and
 * 7, `skipLibCheck: false`) and run against a local Email Routing server.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { extractTypeScriptBlocks } from '../docs/code-blocks.js';
import { multiProductDocument, ROUTING_RULE_PATH } from '../support/multi-product-document.js';
import { startStandInServer } from '../support/stand-in-server.js';
import {
  buildAndPack,
  makeTempDir,
  type PackedPackage,
  removeDir,
  repoRoot,
  runCommand,
  runTsc,
} from './packed-package.js';

const MARKER = '<!-- walkthrough:commands -->';
const ZONE_ID = '023e105f4ecef8ad9ca31a8372d0c353';
const API_TOKEN = 'walkthrough-token-0123456789abcdef';

interface Walkthrough {
  readonly commands: readonly string[];
  readonly file: string;
  readonly code: string;
}

/** The shell lines of the block after the marker, and the TypeScript block after it. */
function readWalkthrough(): Walkthrough {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const at = readme.indexOf(MARKER);
  if (at === -1) throw new Error(`README.md has no ${MARKER} marker before the walkthrough`);
  const rest = readme.slice(at + MARKER.length);
  const shell = /^\s*```sh\n([\s\S]*?)\n```/.exec(rest);
  if (!shell?.[1]) throw new Error(`README.md: a \`\`\`sh block must follow ${MARKER}`);
  const [block] = extractTypeScriptBlocks('README.md', rest.slice(shell[0].length));
  const file = block
    ? /^\/\/ (\S+) \(the walkthrough's consumer file\)/.exec(block.code)?.[1]
    : undefined;
  if (!block || !file)
    throw new Error(
      "README.md: the walkthrough's ```ts block must start with `// <file> (the walkthrough's consumer file)`",
    );
  const commands = shell[1]
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  return { commands, file, code: block.code };
}

interface RuleRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

/** Email Routing's GET rule, as Cloudflare answers it; nothing else. */
function startRoutingServer(requests: RuleRequest[]): Promise<Server> {
  const rulePath = new RegExp(
    `^/client/v4${ROUTING_RULE_PATH.replace('{zone_id}', '([0-9a-f]{32})').replace('{rule_identifier}', '([0-9a-f]{32})')}$`,
  );
  const server = createServer((req: IncomingMessage, res) => {
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
    });
    const match = rulePath.exec(req.url ?? '');
    const ok = req.method === 'GET' && match && req.headers.authorization === `Bearer ${API_TOKEN}`;
    const body = ok
      ? {
          success: true,
          errors: [],
          messages: [],
          result: {
            id: match[2],
            name: 'Send to user@example.net rule.',
            enabled: true,
            priority: 0,
            matchers: [{ field: 'to', type: 'literal', value: 'test@example.com' }],
            actions: [{ type: 'forward', value: ['destinationaddress@example.net'] }],
          },
        }
      : {
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }],
          messages: [],
          result: null,
        };
    const text = JSON.stringify(body);
    res.writeHead(ok ? 200 : 403, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const walkthrough = readWalkthrough();
const outputs: string[] = [];
const requests: RuleRequest[] = [];
let packed: PackedPackage | undefined;
let projectDir: string | undefined;
let server: Server | undefined;

function project(): string {
  if (!projectDir) throw new Error('beforeAll did not finish (see above)');
  return projectDir;
}

beforeAll(async () => {
  packed = await buildAndPack();
  projectDir = makeTempDir('cfes-walkthrough');
  writeFileSync(
    join(projectDir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'walkthrough',
        version: '1.0.0',
        private: true,
        type: 'module',
        dependencies: { [packed.packageName]: `file:${packed.tarball}` },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(projectDir, 'openapi.json'), JSON.stringify(multiProductDocument()));
  const env = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^npm_(lifecycle_|package_|command$)/i.test(key),
      ),
    ),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  for (const command of walkthrough.commands) {
    const { stdout, stderr } = await runCommand('sh', ['-e', '-c', command], {
      cwd: projectDir,
      env,
      timeoutMs: 240_000,
    });
    outputs.push(`$ ${command}\n${stdout}${stderr}`);
  }
  const file = join(projectDir, walkthrough.file);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${walkthrough.code}\n`);
  writeFileSync(
    join(projectDir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM'],
          types: [],
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          verbatimModuleSyntax: true,
          skipLibCheck: false,
          rootDir: '.',
          outDir: 'out',
        },
        files: [walkthrough.file],
      },
      null,
      2,
    )}\n`,
  );
  server = await startRoutingServer(requests);
}, 600_000);

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  removeDir(projectDir);
  removeDir(packed?.stagingDir);
});

describe('the README walkthrough, in a fresh project with the packed package', () => {
  test('runs the commands of the README (install, generator peers, npx cfes generate)', () => {
    expect(walkthrough.commands.some((line) => line.startsWith('npx cfes generate '))).toBe(true);
    expect(outputs.join('\n')).toMatch(/^ {2}operations\.ts\s+written$/m);
    const manifest = JSON.parse(readFileSync(join(project(), 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual([packed?.packageName]);
  });

  test('cfes ran from the tarball on plain Node: the registry imports the package by name', () => {
    const out = /--out (\S+)/.exec(walkthrough.commands.join('\n'))?.[1] as string;
    const operations = readFileSync(join(project(), out, 'operations.ts'), 'utf8');
    expect(operations).toMatch(
      /^\/\/ Generated by cfes generate \(cloudflare-email-security-allow-policies\)/,
    );
    expect(operations).toContain(`from '${packed?.packageName}';`);
    expect(existsSync(join(project(), out, 'schema.ts'))).toBe(true);
    expect(existsSync(join(project(), 'node_modules', '.bin', 'cfes'))).toBe(true);
  });

  test('cfes audit and migrate --plan run from the tarball on plain Node against the stand-in', async () => {
    const standIn = await startStandInServer({ recordRequests: false });
    try {
      standIn.seedPolicy({ pattern: 'old@example.com', is_sender: true, is_trusted_sender: false });
      const bin = (...args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
          execFile(
            process.execPath,
            [join('node_modules', packed?.packageName ?? '', 'dist', 'cli.js'), ...args],
            {
              cwd: project(),
              timeout: 30_000,
              env: {
                PATH: process.env.PATH,
                CLOUDFLARE_API_TOKEN: standIn.apiToken,
                CLOUDFLARE_ACCOUNT_ID: standIn.accountId,
                CLOUDFLARE_BASE_URL: standIn.baseUrl,
              },
            },
            (error, stdout, stderr) =>
              done({ code: error ? Number(error.code) : 0, stdout, stderr }),
          );
        });
      const audit = await bin('audit', '--json');
      expect(audit.stderr).toBe('');
      expect(audit.code).toBe(4);
      expect(JSON.parse(audit.stdout).findings).toMatchObject([
        { kind: 'deprecated-only', patch: { is_trusted_sender: true } },
      ]);
      const plan = await bin('migrate', '--plan', 'plan.json');
      expect(plan).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(readFileSync(join(project(), 'plan.json'), 'utf8')).items).toHaveLength(1);
    } finally {
      await standIn.close();
    }
  }, 60_000);

  test.each(['TypeScript 5.9', 'TypeScript 7'] as const)(
    'the consumer file and the generated registry type-check strictly (%s)',
    async (compiler) => {
      const { stdout } = await runTsc(compiler, project(), ['--noEmit']);
      expect(stdout).toBe('');
    },
    180_000,
  );

  test('the compiled consumer calls the generated operation against a local server', async () => {
    await runTsc('TypeScript 5.9', project(), ['--noCheck']);
    const address = server?.address() as AddressInfo;
    const { stdout } = await runCommand(
      process.execPath,
      [join('out', walkthrough.file.replace(/\.ts$/, '.js'))],
      {
        cwd: project(),
        timeoutMs: 30_000,
        env: {
          PATH: process.env.PATH,
          CLOUDFLARE_BASE_URL: `http://127.0.0.1:${address.port}/client/v4`,
          CLOUDFLARE_API_TOKEN: API_TOKEN,
          CLOUDFLARE_ACCOUNT_ID: ZONE_ID,
        },
      },
    );
    outputs.push(`$ node out/${walkthrough.file.replace(/\.ts$/, '.js')}\n${stdout}`);
    expect(JSON.parse(stdout.trim())).toEqual({
      name: 'Send to user@example.net rule.',
      enabled: true,
    });
    const rule = `/client/v4/zones/${ZONE_ID}/email/routing/rules/a7e6fb77503c41d8a7f3113c6918f10c`;
    expect(requests).toEqual([
      { method: 'GET', path: rule, authorization: `Bearer ${API_TOKEN}` },
      { method: 'GET', path: rule, authorization: `Bearer ${API_TOKEN}` },
    ]);
    if (process.env.WALKTHROUGH_OUTPUT)
      writeFileSync(process.env.WALKTHROUGH_OUTPUT, outputs.join('\n'));
  }, 60_000);
});
