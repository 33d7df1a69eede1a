import type { IncomingMessage, ServerResponse } from "node:http";
import type { LicenseManager } from "../client/manager.js";
import { PayloadTooLarge, type WebRequest, type WebResponse } from "./http.js";
import type { WebSettings } from "./settings.js";
import { KeyturnWeb } from "./web.js";

/** A `node:http` handler: resolves true when it answered, false when the product should handle the request. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** An Express-style middleware: `(req, res, next)`; mount it before body parsers. */
export type ExpressStyleMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * For a plain `node:http` server:
 *
 *     const keyturn = nodeMiddleware(licenses, { productName: "Acme Notes" });
 *     http.createServer(async (req, res) => { if (!(await keyturn(req, res))) app(req, res); });
 */
export function nodeMiddleware(licenses: LicenseManager, settings: WebSettings = {}): NodeHandler {
  const web = new KeyturnWeb(licenses, settings);
  return async (req, res) => {
    const answer = await web.handle(toWebRequest(req, ""));
    if (!answer) return false;
    write(answer, req, res);
    return true;
  };
}

/**
 * For Express, Connect and alike: `app.use(expressMiddleware(licenses, settings))`, before body parsers and routes.
 * The application's mount path (`req.baseUrl`) is honoured in links and redirects.
 */
export function expressMiddleware(licenses: LicenseManager, settings: WebSettings = {}): ExpressStyleMiddleware {
  const web = new KeyturnWeb(licenses, settings);
  return (req, res, next) => {
    const base = (req as IncomingMessage & { baseUrl?: string }).baseUrl ?? "";
    web.handle(toWebRequest(req, base)).then((answer) => {
      if (!answer) {
        next();
        return;
      }
      write(answer, req, res);
    }, next);
  };
}

function toWebRequest(req: IncomingMessage, contextPath: string): WebRequest {
  // The path as sent, with dot segments resolved but nothing percent-decoded: an exempt path or an asset name is
  // matched on what the product's router will see, so "/health%2F..%2Fnotes" is not "/health".
  const url = new URL(req.url ?? "/", "http://placeholder");
  return {
    method: (req.method ?? "GET").toUpperCase(),
    path: url.pathname,
    contextPath,
    query: url.searchParams,
    header: (name) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(", ") : v;
    },
    body: (max) => readBody(req, max),
  };
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > max) {
      req.resume();
      reject(new PayloadTooLarge(`the request body is larger than ${max} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners("data");
        req.resume();
        reject(new PayloadTooLarge(`the request body is larger than ${max} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function write(a: WebResponse, req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = a.status;
  res.setHeader("Content-Type", a.contentType);
  for (const [k, v] of Object.entries(a.headers)) res.setHeader(k, v);
  if (a.status === 304 || req.method === "HEAD") {
    res.end();
    return;
  }
  res.setHeader("Content-Length", a.body.length);
  res.end(a.body);
}
