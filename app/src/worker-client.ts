/**
 * The page's side of the worker: numbered requests that resolve with the worker's replies,
 * progress callbacks, and cancel (terminate the worker, start a fresh one, give it the data again).
 */
import type { WorkerEnvelope, WorkerReply, WorkerRequest } from "./protocol.js";

/** The rejection of requests that were cancelled. */
export class Cancelled extends Error {
  constructor() {
    super("Cancelled.");
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (done: number, total: number, detail?: string) => void;
}

function startWorker(): Worker {
  return new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "mlm" });
}

/** One worker that runs mlm, restartable. */
export class MlmWorker {
  private worker: Worker;
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  /** The last data load, sent again to a restarted worker. */
  private load: Extract<WorkerRequest, { kind: "load" }> | undefined;

  constructor() {
    this.worker = this.start();
  }

  private start(): Worker {
    const w = startWorker();
    w.onmessage = (event: MessageEvent<WorkerReply>) => this.receive(event.data);
    w.onerror = (event) => {
      event.preventDefault();
      for (const p of this.pending.values()) p.reject(new Error(`The worker stopped: ${event.message || "it could not start"}.`));
      this.pending.clear();
    };
    return w;
  }

  private receive(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.kind === "progress") {
      p.onProgress?.(reply.done, reply.total, reply.detail);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.kind === "result") p.resolve(reply.value);
    else p.reject(new Error(reply.message));
  }

  /** Sends a request; the promise rejects with the worker's message, or with {@link Cancelled}. */
  request<T>(request: WorkerRequest, onProgress?: (done: number, total: number, detail?: string) => void): Promise<T> {
    if (request.kind === "load") this.load = { ...request, bytes: request.bytes.slice(0) };
    const id = this.next++;
    const envelope: WorkerEnvelope = { id, request };
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
      this.worker.postMessage(envelope);
    });
  }

  /** Whether any request is waiting for its answer. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Stops whatever the worker is doing: every pending request rejects with {@link Cancelled}. */
  cancel(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Cancelled());
    this.pending.clear();
    this.worker = this.start();
    if (this.load) {
      const again = { ...this.load, bytes: this.load.bytes.slice(0) };
      this.request(again).catch(() => undefined);
    }
  }
}
