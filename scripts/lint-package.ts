/**
 * `npm run lint:package`: packs the package once (`npm pack` runs `prepack`, the one build), then
 * runs publint and Are The Types Wrong on that tarball. Neither tool packs again, so the build
 * never runs twice. The tarball lives in a temporary directory, removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** A tool installed in the repo's node_modules, run with this Node (no PATH lookup). */
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

function run(label: string, command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, [...args], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status === 0) return true;
  console.error(`lint:package failed: ${label} (exit ${result.status ?? result.signal})`);
  return false;
}

function main(): number {
  const packDir = mkdtempSync(join(tmpdir(), 'cfes-lint-package-'));
  try {
    if (!run('npm pack', npm, ['pack', '--silent', '--pack-destination', packDir])) return 1;
    const tarballs = readdirSync(packDir).filter((file) => file.endsWith('.tgz'));
    if (tarballs.length !== 1) {
      console.error(`lint:package failed: npm pack left ${tarballs.length} tarballs in ${packDir}`);
      return 1;
    }
    const tarball = join(packDir, tarballs[0] as string);
    const node = process.execPath;
    const ok =
      run('publint', node, [bin('publint'), 'run', '--strict', tarball]) &&
      run('attw', node, [bin('attw'), tarball, '--profile', 'esm-only']);
    return ok ? 0 : 1;
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}

process.exitCode = main();
