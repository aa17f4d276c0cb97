// Starts the reference sync server (the real `mostrador-server` binary, embedded SQLite) on a
// free loopback port for a test, with one admin agent.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";

/** The binary `cargo xtask test` builds before the end-to-end stage. */
export const SERVER_BIN =
  process.env.MOSTRADOR_SERVER_BIN ?? join(ROOT, "target", "debug", "mostrador-server");

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Resolves to { url, stop, log } once /health answers. `settings` (a desk's settings as JSON)
 * seeds the new database (`--settings`); `env` adds environment variables.
 */
export async function startSyncServer({ admin = "admin", password = "correct horse battery", settings, env = {} } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "mostrador-sync-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = [];
  const args = ["--listen", `127.0.0.1:${port}`];
  if (settings) {
    await writeFile(join(dir, "settings.json"), JSON.stringify(settings));
    args.push("--settings", join(dir, "settings.json"));
  }
  const child = spawn(SERVER_BIN, args, {
    cwd: dir,
    env: { ...process.env, MOSTRADOR_ADMIN: `${admin}:${password}`, RUST_LOG: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`mostrador-server exited: ${log.join("")}`);
    try {
      if ((await fetch(`${url}/health`)).ok) {
        return {
          url,
          log,
          async stop() {
            child.kill("SIGTERM");
            await exited;
            await rm(dir, { recursive: true, force: true });
          },
        };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`mostrador-server did not answer /health: ${log.join("")}`);
}
