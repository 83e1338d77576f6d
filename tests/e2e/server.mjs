// A tiny static file server for the end-to-end tests and the benchmark:
// node:http only, 127.0.0.1, an ephemeral port, GET/HEAD, correct MIME types
// (Chromium refuses to stream-compile wasm served as anything but
// application/wasm), no caching, 404 for anything it does not have.
//
// startServer(rootDirs) serves the first directory that has the requested
// file; later directories add files (test fixtures, benchmark data) beside
// the app without copying it.

import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
};

/** The MIME type served for `path`. */
export function mimeType(path) {
  return MIME[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/** The file for URL path `pathname` under `root`, or null (never outside root). */
async function findFile(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const full = resolve(root, "." + decoded);
  if (full !== root && !full.startsWith(root + sep)) return null;
  for (const candidate of decoded.endsWith("/") ? [join(full, "index.html")] : [full, join(full, "index.html")]) {
    try {
      const info = await stat(candidate);
      if (info.isFile()) return { path: candidate, size: info.size };
    } catch {
      // try the next candidate
    }
  }
  return null;
}

/**
 * Starts a server for `rootDirs` (a directory or a list of them).
 * @returns {Promise<{url: string, close: () => Promise<void>}>} `url` has no trailing slash.
 */
export async function startServer(rootDirs) {
  const roots = (Array.isArray(rootDirs) ? rootDirs : [rootDirs]).map((d) => resolve(d));
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const { pathname } = new URL(req.url, "http://127.0.0.1");
    let file = null;
    for (const root of roots) {
      file = await findFile(root, pathname);
      if (file) break;
    }
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : "not found\n");
      return;
    }
    res.writeHead(200, {
      "content-type": mimeType(file.path),
      "content-length": file.size,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(file.path)
      .on("error", () => res.destroy())
      .pipe(res);
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
