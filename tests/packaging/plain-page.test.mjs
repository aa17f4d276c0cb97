// The npm package as a consumer gets it: `npm pack`, unpacked into a throwaway site, loaded by a
// plain HTML page with one module import, in real Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, writeFile, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { PKG } from "../support/paths.mjs";

let site, server, browser;

before(async () => {
  site = await mkdtemp(join(tmpdir(), "mostrador-pack-"));
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", site], { cwd: PKG });
  const [{ filename, files }] = JSON.parse(out.toString());
  const shipped = files.map((f) => f.path);
  for (const required of ["package.json", "dist/index.js", "dist/index.d.ts", "dist/mostrador_wasm_bg.wasm"]) {
    assert.ok(shipped.includes(required), `the package lacks ${required}: ${shipped.join(", ")}`);
  }
  const modules = join(site, "node_modules", "mostrador");
  await mkdir(modules, { recursive: true });
  execFileSync("tar", ["xzf", join(site, filename), "-C", modules, "--strip-components=1"]);
  await writeFile(
    join(site, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Plain page</title></head><body>
<h1>A plain page</h1><div id="help"></div>
<script type="module">
  import { mount } from "./node_modules/mostrador/dist/index.js";
  window.handle = await mount(document.getElementById("help"), { mode: "portal", dbName: "plain" });
</script></body></html>`,
  );
  server = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

test("package.json exports list types first and point at shipped files", async () => {
  const pkg = JSON.parse(await readFile(join(site, "node_modules/mostrador/package.json"), "utf8"));
  assert.deepEqual(Object.keys(pkg.exports["."]), ["types", "import"]);
  assert.equal(pkg.exports["."].import, "./dist/index.js");
});

test("a plain page mounts the packed app in a shadow root and unmounts it", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/index.html");
  await page.getByRole("button", { name: "Send ticket" }).waitFor();
  assert.equal(await page.evaluate(() => !!document.getElementById("help").shadowRoot), true);
  // The host page's own content is untouched.
  assert.equal(await page.getByRole("heading", { name: "A plain page" }).count(), 1);
  await page.evaluate(() => window.handle.unmount());
  assert.equal(await page.getByRole("button", { name: "Send ticket" }).count(), 0);
  assert.deepEqual(errors, []);
});
