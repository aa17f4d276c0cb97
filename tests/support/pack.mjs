// The npm package as a consumer gets it: `npm pack`, unpacked into a throwaway site's
// node_modules. Shared by the packaging tests.
import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PKG } from "./paths.mjs";

/** Packs `pkg/` into a new temporary site; returns { site, pkgDir, shipped, cleanup }. */
export async function packedSite() {
  const site = await mkdtemp(join(tmpdir(), "mostrador-pack-"));
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", site], { cwd: PKG });
  const [{ filename, files }] = JSON.parse(out.toString());
  const pkgDir = join(site, "node_modules", "mostrador");
  await mkdir(pkgDir, { recursive: true });
  execFileSync("tar", ["xzf", join(site, filename), "-C", pkgDir, "--strip-components=1"]);
  return {
    site,
    pkgDir,
    shipped: files.map((f) => f.path),
    cleanup: () => rm(site, { recursive: true, force: true }),
  };
}

/** A minimal HTML page. `head` and `body` are trusted test markup. */
export function html({ title = "Host page", head = "", body = "", lang = "en" } = {}) {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>${title}</title>${head}</head><body>${body}</body></html>`;
}

/** What a site owner does when the frame is served from another origin than their pages: lists
 *  the pages' origins in the packed `frame.html`. */
export async function allowEmbedding(pkgDir, origins) {
  const file = join(pkgDir, "dist", "frame.html");
  const page = await readFile(file, "utf8");
  const tag = "<script src=\"mostrador.js\" data-frame";
  if (!page.includes(tag)) throw new Error("frame.html has no loader script tag");
  await writeFile(file, page.replace(tag, `${tag} data-allowed-origins="${origins.join(" ")}"`));
}
