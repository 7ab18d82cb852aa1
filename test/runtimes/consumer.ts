/**
 * A consumer project per runtime: the packed tarball installed from the npm cache (see
 * test/package/packed-package.ts), plus the files each runtime runs:
 * - `scenario.mjs`: scenario.ts compiled by esbuild (a transform, the package stays a parameter);
 * - `entry.mjs`: imports the package by name and runs the scenario (Node, Bun, Deno);
 * - `require.cjs`: `require()`s the package from CommonJS and makes one call (Node);
 * - `worker.mjs`: the Worker (workerd), bundled later by workerd.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { installIntoFreshProject } from '../package/packed-package.js';
import { workerSource } from './workerd.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Printed by the entries before their JSON report, so runtime chatter on stdout cannot confuse it. */
export const REPORT_PREFIX = 'MATRIX_REPORT ';

function entrySource(packageName: string): string {
  return `import { runScenario } from './scenario.mjs';

const [arg] = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const report = await runScenario(() => import(${JSON.stringify(packageName)}), JSON.parse(arg));
console.log(${JSON.stringify(REPORT_PREFIX)} + JSON.stringify(report));
`;
}

/** CommonJS: a synchronous require() of the ESM package (require(esm)), then one update. */
function requireSource(packageName: string): string {
  return `'use strict';
const report = (value) => console.log(${JSON.stringify(REPORT_PREFIX)} + JSON.stringify(value));
let lib;
try {
  lib = require(${JSON.stringify(packageName)});
} catch (error) {
  report({ required: false, code: error.code, message: error.message });
  process.exit(0);
}
const config = JSON.parse(process.argv[2]);
const client = lib.createEmailSecurityClient({
  baseUrl: config.baseUrl,
  accountId: config.accountId,
  auth: { apiToken: config.apiToken },
});
client.allowPolicies.update(config.policyId, { comments: 'updated through require()' }).then(
  (policy) => report({ required: true, comments: policy.comments }),
  (error) => report({ required: true, callError: String(error) }),
);
`;
}

let compiledScenario: Promise<string> | undefined;

function scenarioModule(): Promise<string> {
  compiledScenario ??= transform(readFileSync(join(here, 'scenario.ts'), 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    sourcefile: 'scenario.ts',
  }).then((result) => result.code);
  return compiledScenario;
}

/** A fresh project with the tarball installed and the matrix's entry files written. */
export async function createConsumer(tarball: string, packageName: string): Promise<string> {
  const projectDir = await installIntoFreshProject(tarball);
  writeFileSync(join(projectDir, 'scenario.mjs'), await scenarioModule());
  writeFileSync(join(projectDir, 'entry.mjs'), entrySource(packageName));
  writeFileSync(join(projectDir, 'require.cjs'), requireSource(packageName));
  writeFileSync(join(projectDir, 'worker.mjs'), workerSource(packageName));
  return projectDir;
}

/** The JSON after the last REPORT_PREFIX line of a runtime's stdout, or undefined. */
export function parseReport<T>(stdout: string): T | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith(REPORT_PREFIX));
  return line === undefined ? undefined : (JSON.parse(line.slice(REPORT_PREFIX.length)) as T);
}
