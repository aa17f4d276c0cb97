// The npm package as a module consumer uses it: `npm pack`, unpacked into a throwaway site, loaded
// by plain pages through an ES module import (by path, and by bare name through an import map).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { packedSite, html } from "../support/pack.mjs";
import { launcher, panel, portal, console_, storage, watchRequests } from "../support/widget.mjs";

let pack, server, browser;

const IMPORT_MAP = `<script type="importmap">{ "imports": { "mostrador": "/node_modules/mostrador/dist/index.js" } }</script>`;

before(async () => {
  pack = await packedSite();
  await writeFile(
    join(pack.site, "index.html"),
    html({
      title: "Plain page",
      body: `<h1>A plain page</h1><div id="help"></div>
<script type="module">
  import { mount } from "./node_modules/mostrador/dist/index.js";
  window.handle = await mount(document.getElementById("help"), { mode: "portal", dbName: "plain" });
</script>`,
    }),
  );
  await writeFile(
    join(pack.site, "bare.html"),
    html({
      title: "Bare import",
      head: IMPORT_MAP,
      body: `<script type="module">
  import { createLauncher, version } from "mostrador";
  window.widget = createLauncher({ dbName: "esm", launcherText: "Contact us" });
  window.version = version;
</script>`,
    }),
  );
  await writeFile(
    join(pack.site, "desk.html"),
    html({
      title: "Inline console",
      head: IMPORT_MAP,
      body: `<mostrador-desk mode="console" db-name="desk" locale="es" style="display:block;height:600px"></mostrador-desk>
<script type="module">import "mostrador";</script>`,
    }),
  );
  server = await serve(pack.site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await pack?.cleanup();
});

test("package.json exports list types first and point at shipped files", async () => {
  const pkg = JSON.parse(await readFile(join(pack.pkgDir, "package.json"), "utf8"));
  assert.deepEqual(Object.keys(pkg.exports["."]), ["types", "import"]);
  assert.equal(pkg.exports["."].import, "./dist/index.js");
  assert.deepEqual(Object.keys(pkg.exports["./mostrador.js"]), ["types", "default"]);
  for (const target of [pkg.exports["."].types, pkg.exports["./mostrador.js"].default, pkg.exports["./frame.html"]]) {
    assert.ok(pack.shipped.includes(target.replace("./", "")), `${target} is shipped`);
  }
});

test("a plain page mounts the packed app in a shadow root and unmounts it", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/index.html");
  const app = portal(page.locator("#help"));
  await app.send().waitFor();
  assert.equal(await page.evaluate(() => !!document.getElementById("help").shadowRoot), true);
  // The host page's own content is untouched.
  assert.equal(await page.getByRole("heading", { name: "A plain page" }).count(), 1);
  await app.createTicket("Sent from a module");
  await page.evaluate(() => window.handle.unmount());
  assert.equal(await app.send().count(), 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("an ESM import by package name adds a launcher that loads nothing before the click", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  const requests = watchRequests(page);
  await page.goto(server.url + "/bare.html");
  await launcher(page, "Contact us").waitFor();
  assert.equal(await page.evaluate(() => window.version), "0.1.0");
  assert.ok(!requests.some((u) => /wasm/.test(u)), requests.join("\n"));
  assert.deepEqual((await storage(page)).databases, []);
  await launcher(page, "Contact us").click();
  await portal(panel(page)).createTicket("Bare import works");
  assert.deepEqual((await storage(page)).databases, ["esm"]);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("<mostrador-desk> mounts inline from its attributes and unmounts when removed", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/desk.html");
  const desk = page.locator("mostrador-desk");
  await console_(desk).views().waitFor();
  const state = await desk.evaluate((el) => el.widget.state());
  assert.equal(state.locale, "es");
  assert.equal(await desk.evaluate((el) => el.shadowRoot.querySelector("[lang]")?.getAttribute("lang")), "es");
  await desk.evaluate((el) => el.setAttribute("locale", "pt-BR"));
  assert.equal((await desk.evaluate((el) => el.widget.state())).locale, "pt-BR");
  // A language the help desk does not speak is refused, and the app stays as it was.
  await desk.evaluate((el) => el.setAttribute("locale", "fr"));
  assert.equal((await desk.evaluate((el) => el.widget.state())).locale, "pt-BR");
  await desk.evaluate((el) => el.remove());
  await page.waitForFunction(() => !document.querySelector("mostrador-desk"));
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0], /"fr" is not a language the help desk speaks/);
  await page.context().close();
});
