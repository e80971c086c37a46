/**
 * A lean closed-loop HTTP/1.1 load generator for the ingest benchmark: `connections` keep-alive
 * sockets, each sending its next request as soon as the previous response is complete, for a given
 * time. It exists because the generator shares our two cores with the server: autocannon rebuilt
 * every request through generic object copies and parsed responses with a JavaScript HTTP parser,
 * some 40–60 µs of CPU per request that the server then lacked (wrk, a C program, needs ~16 µs; it is
 * what the team's reference figures were measured with). Here each request is one buffer written
 * once, and a response is read only as far as its status and Content-Length.
 *
 * It speaks just enough HTTP for our server's answers (a status line, headers with Content-Length,
 * a body); anything else counts as an error and the connection is opened anew.
 */
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";

export interface ClosedLoopOptions {
  host: string;
  port: number;
  connections: number;
  durationS: number;
  /** Per-request deadline; a request past it counts as a timeout and its connection is replaced. */
  timeoutS: number;
  /** The bytes of request `i`, ready to send (request line, headers, body). */
  request: (i: number) => Buffer;
  /** Called for every complete response to request `i`. */
  onResponse: (i: number, status: number, latencyMs: number) => void;
  /** The index of the next request to send; shared by all connections. */
  next: () => number;
}

export interface ClosedLoopResult {
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const HEADER_END = Buffer.from("\r\n\r\n");
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

export function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const result: ClosedLoopResult = { responses: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const deadline = performance.now() + options.durationS * 1000;
  let open = options.connections;

  return new Promise((resolve) => {
    const finished = () => {
      open--;
      if (open === 0) resolve(result);
    };

    const startConnection = () => {
      const socket: Socket = connect({ host: options.host, port: options.port, noDelay: true }, () => sendNext());
      let pending: Buffer = Buffer.alloc(0);
      let current = -1;
      let sentAt = 0;
      let ended = false;
      const timer = setInterval(() => {
        if (current >= 0 && performance.now() - sentAt > options.timeoutS * 1000) {
          result.timeouts++;
          replace();
        }
      }, 250);

      const stop = () => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        socket.destroy();
        finished();
      };
      const replace = () => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        socket.destroy();
        if (performance.now() < deadline) startConnection();
        else finished();
      };
      const sendNext = () => {
        if (performance.now() >= deadline) return stop();
        current = options.next();
        sentAt = performance.now();
        socket.write(options.request(current));
      };

      socket.on("data", (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        for (;;) {
          const headerEnd = pending.indexOf(HEADER_END);
          if (headerEnd < 0) return;
          const head = pending.toString("latin1", 0, headerEnd);
          const length = CONTENT_LENGTH.exec(head);
          const status = Number(head.slice(9, 12));
          if (!head.startsWith("HTTP/1.1 ") || !length || !Number.isInteger(status)) {
            result.errors++;
            return replace();
          }
          const total = headerEnd + HEADER_END.length + Number(length[1]);
          if (pending.length < total) return;
          pending = pending.subarray(total);
          if (current < 0) {
            result.errors++;
            return replace();
          }
          const answered = current;
          current = -1;
          result.responses++;
          if (status < 200 || status >= 300) result.non2xx++;
          options.onResponse(answered, status, performance.now() - sentAt);
          sendNext();
          if (ended) return;
        }
      });
      socket.on("error", () => {
        result.errors++;
        replace();
      });
      socket.on("close", () => {
        if (ended) return;
        // The server closed a keep-alive connection: in flight or not, open another.
        if (current >= 0) result.errors++;
        replace();
      });
    };

    for (let c = 0; c < options.connections; c++) startConnection();
  });
}
