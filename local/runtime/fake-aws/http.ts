/** Small HTTP helpers shared by the fake AWS endpoints. Local only: 127.0.0.1, a free port. */
import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** "http://127.0.0.1:<port>" */
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on `host` (default 127.0.0.1) and `port` (default 0: a free one the OS picks). */
export async function listen(
  listener: RequestListener,
  host = "127.0.0.1",
  port = 0,
): Promise<RunningServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

/** The request body as UTF-8 text, refused beyond `limit` bytes. */
export async function readBody(request: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new Error(`Request body over ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A fault queue: `failNext(n, code)` makes the next n requests fail with `code`. */
export class FaultQueue<Code extends string> {
  #pending: Code[] = [];

  push(count: number, code: Code): void {
    for (let i = 0; i < count; i++) this.#pending.push(code);
  }

  take(): Code | undefined {
    return this.#pending.shift();
  }

  clear(): void {
    this.#pending = [];
  }

  get size(): number {
    return this.#pending.length;
  }
}
