import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { emitSchema } from './emit-schema.js';
import { CodegenError } from './errors.js';
import type { HeaderInput } from './header.js';
import { loadOpenapiTypescript } from './peer-modules.js';

/**
 * Where the emit stage converts the document with openapi-typescript (`emitSchema`): in this
 * thread, or in a worker thread that starts with the run. The worker loads openapi-typescript
 * and TypeScript while this thread reads and validates the document, then converts the
 * validated document while this thread plans and emits operations.ts with ts-morph: those are
 * the two longest stages, and they share nothing. The worker receives the same validated
 * document and runs the same `emitSchema`, so the output is the same; its errors come back as
 * they were raised (a `CodegenError` stays one, with its hint).
 */
export interface SchemaEmitter {
  /** Hands over the validated document: a worker converts it at once, this thread on `result`. */
  start(document: object, header: HeaderInput): void;
  /** What `emitSchema(document, header)` returns (or throws). */
  result(): Promise<string>;
  /** Ends the worker (if any); call it when the run ends, whether it emitted or not. */
  close(): Promise<void>;
}

export function inThreadSchemaEmitter(): SchemaEmitter {
  let input: Parameters<typeof emitSchema> | undefined;
  return {
    start: (...args) => {
      input = args;
    },
    result: () =>
      input
        ? emitSchema(...input)
        : Promise.reject(new Error('SchemaEmitter: result before start')),
    close: async () => undefined,
  };
}

/** Marks the worker: `workerData` of a thread started by `startSchemaWorker`. */
const ROLE = 'cfes-schema-worker';

/** What the worker posts back: the file's text, or the error `emitSchema` threw. */
type Reply =
  | { readonly schema: string }
  | {
      readonly error: {
        readonly codegen: boolean;
        readonly message: string;
        readonly hint?: string;
        readonly stack?: string;
      };
    };

/**
 * A worker thread running `entry` (a module that calls `serveSchemaWorker()` when
 * `isSchemaWorker()`: the bin itself), ready to take one document. It runs until `close`.
 */
export function startSchemaWorker(entry: URL): SchemaEmitter {
  const worker = new Worker(entry, { workerData: { role: ROLE } });
  const reply = new Promise<Reply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`the schema worker stopped (exit code ${code}) before it answered`));
    });
  });
  reply.catch(() => undefined); // observed by result; a run that fails earlier never asks
  let started = false;
  return {
    start(document, header) {
      if (started) throw new Error('SchemaEmitter: one document per worker');
      started = true;
      worker.postMessage({ document, header });
    },
    async result() {
      if (!started) throw new Error('SchemaEmitter: result before start');
      const answer = await reply;
      if ('schema' in answer) return answer.schema;
      throw revived(answer.error);
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

function revived(error: Extract<Reply, { error: unknown }>['error']): Error {
  if (!error.codegen) return Object.assign(new Error(error.message), { stack: error.stack });
  // CodegenError appends the hint to the message: take it off again, the constructor adds it.
  const message =
    error.hint === undefined ? error.message : error.message.slice(0, -error.hint.length - 1);
  return Object.assign(new CodegenError(message, { hint: error.hint }), { stack: error.stack });
}

export function isSchemaWorker(): boolean {
  return !isMainThread && (workerData as { role?: unknown } | null)?.role === ROLE;
}

/** The worker's side: loads openapi-typescript at once, then emits the one document it is sent. */
export function serveSchemaWorker(): void {
  const port = parentPort;
  if (port === null) throw new Error('serveSchemaWorker: not in a worker thread');
  try {
    loadOpenapiTypescript();
  } catch {
    // emitSchema loads it again and reports the failure with the document
  }
  port.once('message', ({ document, header }: { document: object; header: HeaderInput }) => {
    emitSchema(document, header).then(
      (schema) => port.postMessage({ schema } satisfies Reply),
      (error: unknown) =>
        port.postMessage({
          error: {
            codegen: error instanceof CodegenError,
            message: error instanceof Error ? error.message : String(error),
            ...(error instanceof CodegenError && error.hint !== undefined
              ? { hint: error.hint }
              : {}),
            ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
          },
        } satisfies Reply),
    );
  });
}
