/**
 * `npm run spec:update -- <file-or-url> [options]`: slices the Email Security settings part out
 * of Cloudflare's full OpenAPI document, reports what changed and writes the vendored spec.
 * See `npm run spec:update -- --help` and scripts/spec/ (one file per step).
 */
import { runSpecUpdate } from './spec/run.js';

const code = await runSpecUpdate(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
