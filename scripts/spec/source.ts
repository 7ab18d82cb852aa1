import { stat } from 'node:fs/promises';
import { CodegenError } from '../codegen/errors.js';
import { DOCUMENT_LIMITS } from '../codegen/limits.js';
import { loadDocument, parseDocumentText, sha256Hex, tooLarge } from '../codegen/load.js';

/** The upstream document as read: where from, its parsed value and the sha256 of its bytes. */
export interface SourceDocument {
  readonly source: string;
  readonly document: unknown;
  readonly sha256: string;
}

export function isUrl(argument: string): boolean {
  return /^https?:\/\//i.test(argument);
}

/** Reads the upstream document from a file (JSON or YAML) or an http(s) URL. */
export async function readSource(
  argument: string,
  options: { timeoutMs?: number } = {},
): Promise<SourceDocument> {
  return isUrl(argument) ? download(argument, options.timeoutMs ?? 60_000) : readLocal(argument);
}

async function readLocal(file: string): Promise<SourceDocument> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
  } catch {
    throw new CodegenError(
      `Cannot read the upstream document "${file}": no such file. Nothing was written.`,
      {
        hint: "Download Cloudflare's full document (cloudflare/api-schemas openapi.json or openapi.yaml) and pass its path: npm run spec:update -- <file>.",
      },
    );
  }
  const loaded = await loadDocument(file, { maxBytes: DOCUMENT_LIMITS.maxBytes });
  return { source: file, document: loaded.document, sha256: loaded.sha256 };
}

async function download(url: string, timeoutMs: number): Promise<SourceDocument> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    throw new CodegenError(
      `Cannot download "${url}": ${networkReason(error)}. Nothing was written.`,
      {
        cause: error,
        hint: `Are you offline? Download the file when you are online (e.g. curl -fL -o openapi.json '${url}') and pass its path instead of the URL.`,
      },
    );
  }
  if (!response.ok) {
    throw new CodegenError(
      `Cannot download "${url}": the server answered HTTP ${response.status}. Nothing was written.`,
      {
        hint: "Check the URL (Cloudflare's document is openapi.json or openapi.yaml in cloudflare/api-schemas), or download it and pass the file path.",
      },
    );
  }
  const bytes = await readBounded(response, url);
  const text = new TextDecoder().decode(bytes);
  return { source: url, document: parseDocumentText(text, url), sha256: sha256Hex(bytes) };
}

/** The body, refused as soon as it grows past `DOCUMENT_LIMITS.maxBytes` (whatever Content-Length says). */
async function readBounded(response: Response, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > DOCUMENT_LIMITS.maxBytes) {
    await response.body?.cancel();
    throw tooLarge(url, declared, DOCUMENT_LIMITS.maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read().catch((error: unknown) => {
      throw new CodegenError(
        `Cannot download "${url}": the connection failed after ${size} bytes (${networkReason(error)}). Nothing was written.`,
        { cause: error, hint: 'Retry, or download the file yourself and pass its path.' },
      );
    });
    if (done) break;
    size += value.byteLength;
    if (size > DOCUMENT_LIMITS.maxBytes) {
      await reader.cancel();
      throw tooLarge(url, null, DOCUMENT_LIMITS.maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'the download timed out';
  const cause =
    error instanceof Error
      ? (error.cause as { code?: string; message?: string } | undefined)
      : undefined;
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN')
    return `the host cannot be resolved (${cause.code})`;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
