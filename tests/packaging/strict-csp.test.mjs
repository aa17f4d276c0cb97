// A host page whose Content-Security-Policy lacks 'wasm-unsafe-eval' cannot run WebAssembly. The
// loader must notice and run the app in an iframe served from the component's own origin (a
// second server here, so the postMessage origin checks are real).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { packedSite, html, allowEmbedding } from "../support/pack.mjs";
import { launcher, panel, portal, frame, storage, watchRequests } from "../support/widget.mjs";

let pack, cdn, hostDir, host, attackerDir, attacker, browser, loaderUrl;

// Chromium reports the blocked probe compile on the host page's console; nothing else may appear.
const isCspReport = (text) => /WebAssembly|wasm-unsafe-eval|Content Security Policy/i.test(text);

before(async () => {
  pack = await packedSite();
  cdn = await serve(pack.site);
  loaderUrl = `${cdn.url}/node_modules/mostrador/dist/mostrador.js`;
  hostDir = await mkdtemp(join(tmpdir(), "mostrador-csp-host-"));
  await writeFile(
    join(hostDir, "index.html"),
    html({
      title: "Strict shop",
      body: `<h1>Strict shop</h1><script src="${loaderUrl}" data-db-name="strict" defer></script>`,
    }),
  );
  await writeFile(
    join(hostDir, "allowed.html"),
    html({ body: `<script src="${loaderUrl}" data-db-name="allowed" defer></script>` }),
  );
  const csp = `default-src 'none'; script-src 'self' ${cdn.url}; frame-src ${cdn.url}; style-src 'self'; img-src 'self' data:; connect-src 'self' ${cdn.url}`;
  host = await serve(hostDir, { headers: { "content-security-policy": csp } });
  // The shop serves its widget from another origin, so it lists its own in frame.html.
  await allowEmbedding(pack.pkgDir, [host.url]);
  attackerDir = await mkdtemp(join(tmpdir(), "mostrador-attacker-"));
  await writeFile(join(attackerDir, "index.html"), html({ title: "Not the shop" }));
  attacker = await serve(attackerDir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await host?.close();
  await attacker?.close();
  await cdn?.close();
  if (attackerDir) await rm(attackerDir, { recursive: true, force: true });
  await pack?.cleanup();
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
});

test("under a CSP without 'wasm-unsafe-eval' the portal opens in an iframe and creates a ticket", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  const requests = watchRequests(page);
  await page.goto(host.url + "/index.html");
  await launcher(page).waitFor();
  assert.ok(!requests.some((u) => /frame\.html|wasm/.test(u)), "nothing loads before the click");
  await page.evaluate(() => {
    window.log = [];
    for (const e of ["open", "ready", "ticketCreated", "error"]) Mostrador.on(e, (d) => log.push(e));
  });

  await launcher(page).click();
  const app = portal(frame(panel(page)));
  await app.createTicket("Sent through the frame");
  // The frame relays the app's events to the host page.
  await page.waitForFunction(() => log.includes("ticketCreated"));
  assert.deepEqual(await page.evaluate(() => log), ["open", "ready", "ticketCreated"]);
  assert.ok(requests.some((u) => u.startsWith(cdn.url) && u.includes("frame.html")));
  // The data lives on the component's origin, not the host's.
  assert.deepEqual((await storage(page)).databases, []);
  const frameDbs = await page.frames().find((f) => f.url().includes("frame.html")).evaluate(
    async () => (await indexedDB.databases()).map((d) => d.name),
  );
  assert.deepEqual(frameDbs, ["strict"]);

  // Host calls reach the app in the frame.
  await page.evaluate(() => Mostrador.setLocale("es"));
  const frameLang = await page.frames().find((f) => f.url().includes("frame.html"))
    .waitForFunction(() => document.querySelector("#app").shadowRoot?.querySelector("[lang]")?.getAttribute("lang"));
  assert.equal(await frameLang.jsonValue(), "es");

  assert.deepEqual(errors.filter((e) => !isCspReport(e)), []);
  await page.context().close();
});

test("messages that do not come from our frame are ignored", async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(host.url + "/index.html");
  await launcher(page).click();
  await page.evaluate(() => Mostrador.widget.ready);
  const fired = await page.evaluate(async () => {
    const seen = [];
    Mostrador.on("ticketCreated", (d) => seen.push(d));
    // Right shape, wrong source (the host window itself) and wrong origin.
    window.postMessage({ mostrador: 1, type: "event", name: "ticketCreated", detail: { ticket: "FORGED" } }, "*");
    await new Promise((ok) => setTimeout(ok, 200));
    return seen;
  });
  assert.deepEqual(fired, []);
  await page.context().close();
});

test("frame: 'never' under the strict CSP fails loudly instead of silently", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await page.goto(host.url + "/allowed.html");
  await launcher(page).waitFor();
  const message = await page.evaluate(async () => {
    const w = Mostrador.launcher({ frame: "never", launcherText: "No frame", dbName: "never" });
    const seen = new Promise((ok) => w.on("error", (e) => ok(e.message)));
    w.open();
    return seen;
  });
  assert.match(message, /could not load the app/);
  assert.ok(errors.some((e) => /could not load the app/.test(e)));
  await page.context().close();
});

test("a page on another origin that embeds frame.html gets no app and no events", async () => {
  const frameUrl = `${cdn.url}/node_modules/mostrador/dist/frame.html`;
  for (const mode of ["portal", "console"]) {
    const page = await (await browser.newContext()).newPage();
    const logged = [];
    page.on("console", (m) => logged.push(m.text()));
    await page.goto(attacker.url + "/index.html");
    const heard = await page.evaluate(async ({ frameUrl, mode }) => {
      const seen = [];
      window.addEventListener("message", (ev) => seen.push(ev.data));
      const f = document.createElement("iframe");
      f.src = frameUrl;
      document.body.appendChild(f);
      await new Promise((ok) => f.addEventListener("load", ok, { once: true }));
      // The loader's handshake, forged: a working widget would answer with "ready".
      f.contentWindow.postMessage({ mostrador: 1, type: "init", options: { mode, dbName: "stolen" } }, "*");
      await new Promise((ok) => setTimeout(ok, 3000));
      return seen;
    }, { frameUrl, mode });
    assert.deepEqual(heard, [], `${mode}: the frame told the attacker's page something`);
    const inFrame = page.frames().find((f) => f.url().includes("frame.html"));
    assert.equal(await inFrame.evaluate(() => document.getElementById("app").textContent), "This help desk cannot be shown on this site.");
    assert.deepEqual(await inFrame.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)), [], `${mode}: storage was opened`);
    assert.equal(await inFrame.evaluate(() => document.getElementById("app").shadowRoot), null, `${mode}: the app mounted`);
    assert.ok(logged.some((t) => t.includes(`${attacker.url} may not embed this help desk`)), logged.join("\n"));
    await page.context().close();
  }
});
