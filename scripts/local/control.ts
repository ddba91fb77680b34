import http from "node:http";
import type { AddressInfo } from "node:net";

// The stack's control server, on 127.0.0.1 and a free port: what the supervisor can do to a part,
// over HTTP, so test files (vitest runs them in other processes than the stack) and people can
// cause faults through the same code as real ones.
//   GET  /parts                                  200 { <part>: { state, pid, restarts } }
//   GET  /parts/<part>                           200 { state, pid, restarts }
//   POST /parts/<part>/stop|start|pause|resume   204 when done; 400 unknown part or action; 500 failed

export type PartState = "starting" | "running" | "paused" | "stopped" | "restarting" | "failed";

export interface PartStatus {
  state: PartState;
  pid: number | null;
  /** Automatic restarts since the stack started. */
  restarts: number;
}

/** What the control server needs; the Supervisor is one. */
export interface PartControl {
  names(): string[];
  status(): Record<string, PartStatus>;
  /** Starts a stopped (or failed) part, waits until ready, sets it up again; resumes a paused one. */
  start(name: string): Promise<void>;
  /** On purpose: no automatic restart until start(). */
  stop(name: string): Promise<void>;
  /** SIGSTOP to its process group: it keeps its port but answers nothing. */
  pause(name: string): Promise<void>;
  /** SIGCONT to its process group. */
  resume(name: string): Promise<void>;
}

export const ACTIONS = ["stop", "start", "pause", "resume"] as const;
export type Action = (typeof ACTIONS)[number];

export interface Reply {
  status: number;
  /** JSON for 200, a plain-text message otherwise. */
  body?: unknown;
}

/** The routing, apart from HTTP (unit-tested on its own). */
export async function route(control: PartControl, method: string, url: string): Promise<Reply> {
  const segments = new URL(url, "http://control").pathname.split("/").filter(Boolean);
  if (segments[0] !== "parts" || segments.length > 3) return { status: 404, body: "not found: try GET /parts" };
  const [, name, action] = segments;
  if (name !== undefined && !control.names().includes(name)) {
    return { status: 400, body: `unknown part "${name}" (parts: ${control.names().join(", ")})` };
  }
  if (action === undefined) {
    if (method !== "GET") return { status: 405, body: "use GET" };
    const status = control.status();
    return { status: 200, body: name === undefined ? status : status[name] };
  }
  if (!(ACTIONS as readonly string[]).includes(action)) {
    return { status: 400, body: `unknown action "${action}" (actions: ${ACTIONS.join(", ")})` };
  }
  if (method !== "POST") return { status: 405, body: "use POST" };
  try {
    await control[action as Action](name as string);
    return { status: 204 };
  } catch (error) {
    return { status: 500, body: error instanceof Error ? error.message : String(error) };
  }
}

export interface ControlServer {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

export async function startControlServer(control: PartControl, host = "127.0.0.1", port = 0): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    void route(control, req.method ?? "GET", req.url ?? "/").then(({ status, body }) => {
      if (body === undefined) return res.writeHead(status).end();
      const json = status === 200;
      res.writeHead(status, { "content-type": json ? "application/json" : "text/plain; charset=utf-8" });
      res.end(json ? `${JSON.stringify(body, null, 2)}\n` : `${String(body)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  // Nothing may wait for it: the stack's own stop() closes it.
  server.unref();
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
