import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { assertTypeScriptParses } from './check-output.js';
import { emitOperations, type OperationsEmitOptions } from './emit-operations.js';
import { convertSchema, type SchemaInput } from './emit-schema.js';
import { CodegenError } from './errors.js';
import type { HeaderInput } from './header.js';
import {
  loadOpenapiTypescript,
  loadOpenapiTypescriptTransform,
  loadTsMorph,
} from './peer-modules.js';
import type { GenerationPlan } from './plan.js';

/**
 * Where the emit stage writes the two TypeScript files, `schema.ts` (openapi-typescript) and
 * `operations.ts` (ts-morph), each checked to parse: in this thread, or in a worker thread that
 * starts with the run. All TypeScript work happens in that one thread, so the compiler is
 * loaded once, and in the worker it loads while this thread reads, validates and plans. The
 * worker runs the same functions on the same (cloned) input, so the output is the same; its
 * errors come back as they were raised (a `CodegenError` stays one, with its hint).
 */
export interface TypeScriptEmitter {
  /** Hands over the checked input (`schemaInput`): a worker converts it at once, this thread in `emit`. */
  startSchema(input: SchemaInput, header: HeaderInput): void;
  /** Emits operations.ts from the plan; resolves with both files' texts once both parse. */
  emit(plan: GenerationPlan, options: OperationsEmitOptions): Promise<TypeScriptFiles>;
  /** Ends the worker (if any); call it when the run ends, whether it emitted or not. */
  close(): Promise<void>;
}

export interface TypeScriptFiles {
  readonly schema: string;
  readonly operations: string;
}

type SchemaRequest = Parameters<TypeScriptEmitter['startSchema']>;

/** `convertSchema`, then the check that the text parses. */
async function checkedSchema(...[input, header]: SchemaRequest): Promise<string> {
  const contents = await convertSchema(input, header);
  assertTypeScriptParses({ path: 'schema.ts', contents });
  return contents;
}

/** `emitOperations`, then the check that the text parses. */
async function checkedOperations(
  plan: GenerationPlan,
  options: OperationsEmitOptions,
): Promise<string> {
  const contents = await emitOperations(plan, options);
  assertTypeScriptParses({ path: 'operations.ts', contents });
  return contents;
}

export function inThreadTypeScriptEmitter(): TypeScriptEmitter {
  let schemaRequest: SchemaRequest | undefined;
  return {
    startSchema: (...request) => {
      schemaRequest = request;
    },
    async emit(plan, options) {
      if (!schemaRequest) throw new Error('TypeScriptEmitter: emit before startSchema');
      return {
        schema: await checkedSchema(...schemaRequest),
        operations: await checkedOperations(plan, options),
      };
    },
    close: async () => undefined,
  };
}

/** Marks the worker: `workerData` of a thread started by `startTypeScriptWorker`. */
const ROLE = 'cfes-typescript-worker';

/** What the worker is sent, in this order: the document, then the plan. */
type Request =
  | { readonly schema: SchemaRequest }
  | { readonly operations: readonly [GenerationPlan, OperationsEmitOptions] };

/** What the worker posts back: both files' texts, or the first error raised. */
type Reply =
  | { readonly files: TypeScriptFiles }
  | {
      readonly error: {
        readonly codegen: boolean;
        readonly message: string;
        readonly hint?: string;
        readonly stack?: string;
      };
    };

/**
 * A worker thread running `entry` (a module that calls `serveTypeScriptWorker()` when
 * `isTypeScriptWorker()`: the bin itself), ready to take one run. It runs until `close`.
 */
export function startTypeScriptWorker(entry: URL): TypeScriptEmitter {
  const worker = new Worker(entry, { workerData: { role: ROLE } });
  const reply = new Promise<Reply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`the TypeScript worker stopped (exit code ${code}) before it answered`));
    });
  });
  reply.catch(() => undefined); // observed by emit; a run that fails earlier never asks
  let started = false;
  let emitted = false;
  const post = (request: Request) => worker.postMessage(request);
  return {
    startSchema(...request) {
      if (started) throw new Error('TypeScriptEmitter: one document per worker');
      started = true;
      post({ schema: request });
    },
    async emit(plan, options) {
      if (!started) throw new Error('TypeScriptEmitter: emit before startSchema');
      if (emitted) throw new Error('TypeScriptEmitter: one plan per worker');
      emitted = true;
      post({ operations: [plan, options] });
      const answer = await reply;
      if ('files' in answer) return answer.files;
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

function replyOf(error: unknown): Reply {
  return {
    error: {
      codegen: error instanceof CodegenError,
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof CodegenError && error.hint !== undefined ? { hint: error.hint } : {}),
      ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
    },
  };
}

export function isTypeScriptWorker(): boolean {
  return !isMainThread && (workerData as { role?: unknown } | null)?.role === ROLE;
}

/**
 * The worker's side: loads what converting needs at once (TypeScript with it), then ts-morph;
 * converts the document as soon as it comes, prints operations.ts when the plan comes, and
 * answers once with both files (or the first error).
 */
export function serveTypeScriptWorker(): void {
  const port = parentPort;
  if (port === null) throw new Error('serveTypeScriptWorker: not in a worker thread');
  try {
    if (!loadOpenapiTypescriptTransform()) loadOpenapiTypescript();
    loadTsMorph();
  } catch {
    // the emit functions load them again and report the failure with the document
  }
  let schema: Promise<string> | undefined;
  port.on('message', (request: Request) => {
    if ('schema' in request) {
      schema = checkedSchema(...request.schema);
      schema.catch(() => undefined); // answered below, with the plan
      return;
    }
    const pending = schema ?? Promise.reject(new Error('TypeScriptEmitter: plan before document'));
    Promise.all([pending, checkedOperations(...request.operations)]).then(
      ([schemaText, operations]) =>
        port.postMessage({ files: { schema: schemaText, operations } } satisfies Reply),
      (error: unknown) => port.postMessage(replyOf(error)),
    );
  });
}
