// Embedding as site owners' real setups have it: a strict CSP on every response of the site, and
// the widget's frame on another site whose storage the browser refuses (third-party IndexedDB is
// denied in a cross-site frame: `localhost` and `127.0.0.1` are different sites).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtemp, writeFile, rm, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { packedSite, html, allowEmbedding } from "../support/pack.mjs";
import { startSyncServer } from "../support/sync-server.mjs";
import { launcher, panel, portal, console_, frame, L } from "../support/widget.mjs";

const STRICT = "default-src 'none'; script-src 'self'; frame-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";
const SECRET = "a-long-random-secret-shared-with-the-site";
let pack, cdn, siteDir, site, strictDir, strict, sync, browser;

/** The host's backend: a customer token for `id` (see "Customer tokens" in the protocol). */
function customerToken(id) {
  const expiry = Math.floor(Date.now() / 1000) + 3600;
  const mac = createHmac("sha256", SECRET).update(`mc1.${expiry}.${id}`).digest("hex");
  return `mc1.${expiry}.${mac}.${id}`;
}

before(async () => {
  pack = await packedSite();
  cdn = await serve(pack.site);
  // A site that sends its strict policy on every response, the widget's files included; its
  // policy names the sync server once that runs (the headers are read on each response).
  strictDir = await mkdtemp(join(tmpdir(), "mostrador-strict-site-"));
  await cp(join(pack.pkgDir, "dist"), join(strictDir, "widget"), { recursive: true });
  const strictHeaders = { "content-security-policy": STRICT };
  strict = await serve(strictDir, { headers: strictHeaders });
  // The sync server also serves the widget, for pages on the strict site.
  sync = await startSyncServer({
    env: {
      MOSTRADOR_CUSTOMER_SECRET: SECRET,
      MOSTRADOR_WIDGET_DIR: join(strictDir, "widget"),
      MOSTRADOR_EMBED_ORIGINS: strict.url,
    },
  });
  strictHeaders["content-security-policy"] = STRICT.replace(
    /(script-src|frame-src|connect-src) 'self'/g,
    `$1 'self' ${sync.url}`,
  );
  await writeFile(
    join(strictDir, "index.html"),
    html({ body: `<h1>Strict shop</h1><script src="widget/mostrador.js" data-db-name="strict-all" defer></script>` }),
  );
  await writeFile(
    join(strictDir, "hosted.html"),
    html({
      body: `<h1>Strict shop</h1><script src="${sync.url}/widget/mostrador.js" data-db-name="hosted"
 data-sync-url="${sync.url}" defer></script>`,
    }),
  );

  await writeFile(
    join(strictDir, "hosted-console.html"),
    html({
      body: `<h1>Back office</h1><mostrador-desk mode="console" db-name="hosted-console" locale="en"
 style="display:block;height:700px"></mostrador-desk><script src="${sync.url}/widget/mostrador.js" data-manual defer></script>`,
    }),
  );

  siteDir = await mkdtemp(join(tmpdir(), "mostrador-thirdparty-"));
  site = await serve(siteDir);
  const siteOrigin = `http://localhost:${new URL(site.url).port}`;
  await allowEmbedding(pack.pkgDir, [siteOrigin]);
  // The frame is third-party here: the page is on localhost, the component on 127.0.0.1.
  const loader = `${cdn.url}/node_modules/mostrador/dist/mostrador.js`;
  await writeFile(
    join(siteDir, "local.html"),
    html({ body: `<h1>Shop</h1><script src="${loader}" data-frame="always" data-db-name="blocked" defer></script>` }),
  );
  await writeFile(
    join(siteDir, "synced.html"),
    html({
      body: `<h1>Shop</h1><script src="${loader}" data-frame="always" data-db-name="blocked-sync"
 data-sync-url="${sync.url}" defer></script>`,
    }),
  );
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await strict?.close();
  await site?.close();
  await cdn?.close();
  await sync?.stop();
  await pack?.cleanup();
  for (const dir of [siteDir, strictDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const thirdParty = (name) => `http://localhost:${new URL(site.url).port}/${name}`;
const storageRefused = /does not let the help desk keep anything on this device/;

test("storage refused in a third-party frame: the widget opens for the session and says so", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await page.goto(thirdParty("local.html"));
  await launcher(page).click();
  const app = frame(panel(page));
  await app.getByText(storageRefused).waitFor();
  await app.getByText("Closing it loses it.").waitFor();
  await portal(app).createTicket("Opened without storage");
  await app.getByRole("button", { name: L.myTickets }).click();
  await portal(app).tickets().getByText("Opened without storage").waitFor();
  // Nothing but the browser's own refusal on the console.
  assert.deepEqual(errors.filter((e) => !/denied permission to access the database/.test(e)), []);
  await page.context().close();
});

test("storage refused with sync: the ticket reaches the server and is back after a reload", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const token = customerToken("cust-third-party");
  const identify = () => page.evaluate((t) => Mostrador.identify({ id: "cust-third-party", signature: t }), token);
  await page.goto(thirdParty("synced.html"));
  await launcher(page).waitFor();
  assert.equal(await identify(), true);
  await launcher(page).click();
  let app = frame(panel(page));
  await app.getByText("Your tickets still reach the team.").waitFor();
  await portal(app).createTicket("Kept by the server");
  await app.locator('.mo-sync[data-state="synced"]').waitFor();

  // A new page: nothing was kept here, the server gives the ticket back.
  await page.reload();
  await launcher(page).waitFor();
  assert.equal(await identify(), true);
  await launcher(page).click();
  app = frame(panel(page));
  await app.getByText(storageRefused).waitFor();
  await app.getByRole("button", { name: L.myTickets }).click();
  await portal(app).tickets().getByText("Kept by the server").waitFor({ timeout: 30_000 });
  assert.deepEqual(errors.filter((e) => !/denied permission to access the database/.test(e)), []);
  await context.close();
});

test("a strict CSP on every response, frame included: the error says which header frame.html needs", async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(strict.url + "/index.html");
  await launcher(page).waitFor();
  const message = await page.evaluate(
    () => new Promise((ok) => { Mostrador.on("error", (e) => ok(e.message)); Mostrador.open(); }),
  );
  assert.match(message, /frame\.html is served with a Content-Security-Policy that forbids WebAssembly/);
  assert.match(message, new RegExp(`script-src 'self' 'wasm-unsafe-eval'.*frame-ancestors ${strict.url}`));
  await page.context().close();
});

test("a strict CSP on every response, console served by the sync server: its screens come from there", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  const fetched = [];
  page.on("requestfinished", (r) => fetched.push(r.url()));
  await page.goto(strict.url + "/hosted-console.html");
  const app = frame(page.locator("mostrador-desk"));
  await console_(app).views().waitFor();
  // A screen of its own module, from the console's folder on the sync server.
  await console_(app).views().getByRole("button", { name: "Dashboard", exact: true }).click();
  await app.getByRole("heading", { name: "Dashboard", exact: true }).waitFor();
  const inFrame = page.frames().find((f) => f.url().includes("frame.html"));
  assert.ok(inFrame.url().startsWith(`${sync.url}/widget/`), inFrame.url());
  for (const file of ["mostrador_console_bg.wasm", "split_console_dashboard.wasm"]) {
    assert.ok(fetched.includes(`${sync.url}/widget/console/${file}`), `${file}: ${fetched.join("\n")}`);
  }
  assert.deepEqual(errors.filter((e) => !/WebAssembly|wasm-unsafe-eval|Content Security Policy/i.test(e)), []);
  await page.context().close();
});

test("a strict CSP on every response, widget served by the sync server: a ticket goes through", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = watchErrors(page);
  await page.goto(strict.url + "/hosted.html");
  await launcher(page).waitFor();
  await page.evaluate(() => {
    window.log = [];
    for (const e of ["ready", "ticketCreated", "error"]) Mostrador.on(e, () => log.push(e));
  });
  await launcher(page).click();
  const app = frame(panel(page));
  await portal(app).createTicket("Through the server-hosted frame");
  await page.waitForFunction(() => log.includes("ticketCreated"));
  assert.deepEqual(await page.evaluate(() => log), ["ready", "ticketCreated"]);
  const inFrame = page.frames().find((f) => f.url().includes("frame.html"));
  assert.ok(inFrame.url().startsWith(`${sync.url}/widget/`), inFrame.url());
  await app.locator('.mo-sync[data-state="synced"]').waitFor();
  // Only the browser's report of the refused WebAssembly probe on the strict page.
  assert.deepEqual(errors.filter((e) => !/WebAssembly|wasm-unsafe-eval|Content Security Policy/i.test(e)), []);
  await page.context().close();
});
