// A static file server on loopback for the browser tests. Serves `root` with the MIME types the
// app needs (application/wasm for instantiateStreaming) and no caching.
import { createServer } from "node:http";
import { brotliCompressSync, constants } from "node:zlib";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".md": "text/plain; charset=utf-8",
};

/**
 * Starts serving `root` on 127.0.0.1 at a free port; resolves to { url, close, requests }. With
 * `brotli`, bodies are sent brotli-compressed (quality 11, as a CDN would) to clients that accept
 * it, so network emulation throttles the bytes a visitor really downloads.
 */
export async function serve(root, { headers = {}, brotli = false } = {}) {
  const requests = [];
  const compressed = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    let file = normalize(join(root, path));
    if (!file.startsWith(normalize(root) + sep) && file !== normalize(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      let body = await readFile(file);
      const extra = {};
      if (brotli && /\bbr\b/.test(req.headers["accept-encoding"] ?? "")) {
        if (!compressed.has(file)) {
          compressed.set(file, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        }
        body = compressed.get(file);
        extra["content-encoding"] = "br";
      }
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...extra,
        ...headers,
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
