// A returning visitor's unread answers, end to end: the visitor opens a ticket through the
// drop-in launcher (the packed package, the real sync server binary with embedded SQLite, loopback
// HTTP); an agent answers on the console in another browser profile; on the visitor's next page
// the closed launcher shows 1 and the host page receives `unread`, without the app loading;
// opening the panel clears it. A first-time visitor's page still makes no request and writes no
// storage before the click.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { DIST } from "../support/paths.mjs";
import { packedSite, html } from "../support/pack.mjs";
import { startSyncServer } from "../support/sync-server.mjs";
import { launcher, panel, portal, storage, watchRequests } from "../support/widget.mjs";

const SCRIPT = "/node_modules/mostrador/dist/mostrador.js";
let pack, shop, desk, sync, browser;

/** A page of the shop with the drop-in; it records every `unread` the launcher raises. */
function shopPage(title) {
  return html({
    title,
    body: `<h1>${title}</h1>
<script>window.unread = []; window.Mostrador = [["on", "unread", (d) => window.unread.push(d.count)]];</script>
<script src="${SCRIPT}" data-mode="portal" data-db-name="shop" data-sync-url="${sync.url}" data-locale="en" defer></script>`,
  });
}

before(async () => {
  sync = await startSyncServer();
  pack = await packedSite();
  await writeFile(join(pack.site, "index.html"), shopPage("A shop"));
  await writeFile(join(pack.site, "product.html"), shopPage("A product"));
  shop = await serve(pack.site);
  desk = await serve(DIST);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await shop?.close();
  await desk?.close();
  await sync?.stop();
  await pack?.cleanup();
});

test("an agent's answer shows on the returning visitor's launcher, without the app", async () => {
  const visitor = await browser.newContext({ locale: "en-US", viewport: { width: 1200, height: 900 } });
  const page = await visitor.newPage();
  const errors = watchErrors(page);
  await page.goto(`${shop.url}/index.html`);
  await launcher(page).click();
  const subject = "Where is my parcel?";
  await portal(panel(page)).createTicket(subject);
  await panel(page).locator('.mo-sync[data-state="synced"]').waitFor();
  await page.keyboard.press("Escape");
  await panel(page).waitFor({ state: "hidden" });

  // The agent answers on the console, in another profile.
  const agentContext = await browser.newContext({ locale: "en-US" });
  const agent = await agentContext.newPage();
  const agentErrors = watchErrors(agent);
  await agent.goto(`${desk.url}/?mode=console&sync=${encodeURIComponent(sync.url)}`);
  await agent.getByLabel("Agent user").fill("admin");
  await agent.getByLabel("Password").fill("correct horse battery");
  await agent.getByRole("button", { name: "Sign in" }).click();
  const views = agent.getByRole("navigation", { name: "Views" });
  await views.getByRole("button", { name: /^All/ }).click();
  await agent.getByRole("table").getByRole("button", { name: new RegExp(subject) }).click();
  await agent.getByRole("heading", { name: subject }).waitFor();
  await agent.getByLabel("Reply to customer").fill("It left our warehouse this morning.");
  await agent.getByRole("button", { name: "Send reply", exact: true }).click();
  await agent.getByText("It left our warehouse this morning.").waitFor();
  // What the app left for the loader: the server and the anonymous session. Wait until the
  // answer is on the server.
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem("mostrador:shop:visitor")));
  assert.equal(saved.server, sync.url);
  assert.match(saved.token, /\S{16,}/);
  for (let i = 0; ; i++) {
    const r = await fetch(`${sync.url}/v1/unread?since=0`, {
      headers: { authorization: `Bearer ${saved.token}`, "mostrador-protocol": "2" },
    });
    if ((await r.json()).unread === 1) break;
    assert.ok(i < 200, "the answer never reached the server");
    await agent.waitForTimeout(100);
  }

  // The visitor's next page: the badge and the event, and no app loaded for it.
  const next = await visitor.newPage();
  const nextErrors = watchErrors(next);
  const requests = watchRequests(next);
  await next.goto(`${shop.url}/product.html`);
  const badged = launcher(next, "Help (1 new reply)");
  await badged.waitFor({ timeout: 15000 });
  assert.deepEqual(await next.evaluate(() => window.unread), [1]);
  assert.ok(!requests.some((u) => u.endsWith(".wasm")), "the badge needs no app: " + requests.join(" "));
  assert.ok(requests.some((u) => u.includes("/v1/unread?since=")), "asked the sync server");

  // Opening the panel clears it, and the answer is there.
  await badged.click();
  await launcher(next).waitFor();
  assert.deepEqual(await next.evaluate(() => window.unread), [1, 0]);
  await panel(next).getByRole("button", { name: "My tickets" }).click();
  await panel(next).getByRole("button", { name: subject }).click();
  await panel(next).getByText("It left our warehouse this morning.").waitFor();
  await next.keyboard.press("Escape");

  // Seen: the page after that has no badge.
  const third = await visitor.newPage();
  const thirdRequests = watchRequests(third);
  const asked = third.waitForResponse((r) => r.url().includes("/v1/unread?since="));
  await third.goto(`${shop.url}/index.html`);
  await launcher(third).waitFor();
  await asked;
  await third.waitForTimeout(300);
  assert.equal(await launcher(third).count(), 1, "no badge once seen");
  assert.deepEqual(await third.evaluate(() => window.unread), []);
  assert.ok(!thirdRequests.some((u) => u.endsWith(".wasm")));
  assert.deepEqual([...errors, ...nextErrors, ...agentErrors], []);
  await agentContext.close();
  await visitor.close();
});

test("a first-time visitor's page with a sync server asks nothing and writes nothing", async () => {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  const requests = watchRequests(page);
  await page.goto(`${shop.url}/index.html`);
  await launcher(page).waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(requests.map((u) => new URL(u).pathname), ["/index.html", SCRIPT]);
  assert.deepEqual(await storage(page), { databases: [], localStorage: 0, cookies: "" });
  assert.deepEqual(await page.evaluate(() => window.unread), []);
  await context.close();
});
