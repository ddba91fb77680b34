import fs from "node:fs";
import net from "node:net";
import path from "node:path";

// What the stack checks on this machine: free ports, HTTP answers, executables on PATH.

/** True once anything answers HTTP on the URL (any status): the server is accepting requests. */
export async function httpAnswers(url: string, init?: RequestInit): Promise<boolean> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return true;
}

/** Throws a clear error if something already listens on the port (on any interface). */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`local stack: port ${port} (${what}) is already in use. Is another local stack running? Choose other ports.`)
          : error,
      );
    });
    // No host: binds every interface, like DynamoDB Local does.
    server.listen(port, () => server.close(() => resolve()));
  });
}

/** Distinct ports that are free right now (all servers are open at once, so none repeats). */
export async function pickFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once("error", reject);
          server.listen(0, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/** Finds an executable on PATH (no shell involved). */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
