import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { APP_PREFIXES } from "../../web/src/paths";
import { contentTypeOf } from "../content-types";

// The local front door: one origin (http://127.0.0.1:3000 under `npm start`) for the web app and
// the API, as CloudFront + API Gateway give on AWS. The app's own paths (web/src/paths.ts) get index.html, built files are served from web/dist, and everything else goes to
// serverless-offline unchanged (method, path, headers, body, status), streamed both ways.

/** Security headers the CloudFront response-headers policy sets on AWS (serverless.yml). */
const PAGE_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export interface WebFront {
  url: string;
  close(): Promise<void>;
}

const isAppPath = (p: string) => p === "/" || APP_PREFIXES.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));

/** The built file a GET asks for, if it is one (and inside dist). */
function builtFile(distDir: string, urlPath: string): string | undefined {
  if (!urlPath.startsWith("/assets/") && urlPath !== "/common-passwords.txt") return undefined;
  const file = path.join(distDir, path.normalize(decodeURIComponent(urlPath)));
  return file.startsWith(distDir + path.sep) && fs.existsSync(file) ? file : undefined;
}

export async function startWebFront(opts: { host: string; port: number; apiUrl: string; distDir: string }): Promise<WebFront> {
  const api = new URL(opts.apiUrl);
  // One connection pool per client address, bound to that address: serverless-offline then sees
  // the caller's IP as its sourceIp (API Gateway does the same), so per-IP limits stay per client.
  const agents = new Map<string, http.Agent>();
  const agentFor = (address: string | undefined) => {
    const local = address?.replace(/^::ffff:/, "");
    const key = local && /^127\./.test(local) ? local : "";
    let agent = agents.get(key);
    if (!agent) agents.set(key, (agent = new http.Agent({ keepAlive: true, maxSockets: 64, ...(key ? { localAddress: key } : {}) })));
    return agent;
  };

  const serveFile = (res: http.ServerResponse, file: string, cache: string) => {
    res.writeHead(200, { "content-type": contentTypeOf(file), "cache-control": cache, ...PAGE_HEADERS });
    fs.createReadStream(file).pipe(res);
  };

  const proxy = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = http.request(
      { host: api.hostname, port: api.port, method: req.method, path: req.url, headers: req.headers, agent: agentFor(req.socket.remoteAddress) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { "content-type": "application/problem+json" });
      res.end(JSON.stringify({ type: "about:blank", title: "Bad gateway", status: 502, code: "API_UNREACHABLE", detail: "The local API (serverless-offline) is not answering." }));
    });
    req.pipe(upstream);
  };

  const server = http.createServer((req, res) => {
    const urlPath = (req.url ?? "/").split("?")[0] ?? "/";
    if (req.method === "GET" || req.method === "HEAD") {
      const file = builtFile(opts.distDir, urlPath);
      if (file) return serveFile(res, file, "public, max-age=31536000, immutable");
      if (isAppPath(urlPath)) {
        const index = path.join(opts.distDir, "index.html");
        if (fs.existsSync(index)) return serveFile(res, index, "no-cache");
        res.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
        return res.end("The web app is not built: run `npm run web:build`.\n");
      }
    }
    proxy(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, resolve);
  });
  return {
    url: `http://${opts.host}:${opts.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const agent of agents.values()) agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
