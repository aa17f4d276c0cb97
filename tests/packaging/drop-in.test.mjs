// The drop-in: one <script> tag from the packed package on a plain host page, in real Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { packedSite, html } from "../support/pack.mjs";
import {
  launcher, panel, closeButton, portal, L, HOSTILE_CSS, computed, storage, watchRequests,
} from "../support/widget.mjs";

const SCRIPT = "/node_modules/mostrador/dist/mostrador.js";
let pack, server, browser;

const pages = {
  "plain.html": html({
    title: "A shop",
    body: `<h1>A shop</h1><p id="copy">Our own text.</p><button id="own">Our own button</button>
<script src="${SCRIPT}" data-mode="portal" data-db-name="plain" defer></script>`,
  }),
  "hostile.html": html({
    title: "A hostile shop",
    head: `<style>${HOSTILE_CSS}</style>`,
    body: `<h1>A shop</h1><p id="copy">Our own text.</p>
<script src="${SCRIPT}" data-mode="portal" data-db-name="hostile" defer></script>`,
  }),
  "portuguese.html": html({
    lang: "pt-BR",
    body: `<script src="${SCRIPT}" data-db-name="portuguese" defer></script>`,
  }),
  "french.html": html({
    lang: "fr",
    body: `<script src="${SCRIPT}" data-db-name="french" defer></script>`,
  }),
  "themed.html": html({
    body: `<script src="${SCRIPT}" data-db-name="themed" data-position="bottom-left" data-launcher-text="Need help?"
 data-theme-accent="rgb(194, 65, 12)" data-locale="es" defer></script>`,
  }),
  "two.html": html({
    body: `<div id="inline" style="height:500px"></div>
<script src="${SCRIPT}" data-db-name="launcher-db" defer></script>`,
  }),
  "covered.html": html({
    body: `<div id="ad" style="position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.2)">An overlay at the top z-index</div>
<script src="${SCRIPT}" data-db-name="covered" defer></script>`,
  }),
  "dark.html": html({
    body: `<script src="${SCRIPT}" data-db-name="dark" data-color-scheme="dark" defer></script>`,
  }),
  "light.html": html({
    body: `<script src="${SCRIPT}" data-db-name="light" data-color-scheme="light" defer></script>`,
  }),
  "auto.html": html({
    body: `<script src="${SCRIPT}" data-db-name="auto" defer></script>`,
  }),
  "bad.html": html({
    body: `<p>Bad options</p><script src="${SCRIPT}" data-mode="chat" defer></script>`,
  }),
  "typo.html": html({
    body: `<script src="${SCRIPT}" data-mood="portal" defer></script>`,
  }),
  "desk.html": html({
    title: "The shop's back office",
    body: `<mostrador-desk mode="console" db-name="plain" locale="en" style="display:block;height:800px"></mostrador-desk>
<script src="${SCRIPT}" data-manual defer></script>`,
  }),
  "manual.html": html({
    body: `<script src="${SCRIPT}" data-manual defer></script>`,
  }),
};

before(async () => {
  pack = await packedSite();
  for (const [name, text] of Object.entries(pages)) await writeFile(join(pack.site, name), text);
  server = await serve(pack.site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await pack?.cleanup();
});

async function open(name) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const requests = watchRequests(page);
  await page.goto(`${server.url}/${name}`);
  return { context, page, errors, requests };
}

test("the package ships the drop-in, the frame page and the app", () => {
  for (const f of ["dist/mostrador.js", "dist/frame.html", "dist/index.js", "dist/index.d.ts",
    "dist/mostrador_wasm.js", "dist/mostrador_wasm_bg.wasm",
    "dist/console/mostrador_console.js", "dist/console/mostrador_console_bg.wasm",
    "dist/console/__wasm_split.js"]) {
    assert.ok(pack.shipped.includes(f), `the package lacks ${f}: ${pack.shipped.join(", ")}`);
  }
});

test("one script tag shows a launcher and fetches nothing else until the visitor asks", async () => {
  const { context, page, errors, requests } = await open("plain.html");
  await launcher(page).waitFor();
  await page.waitForTimeout(300); // give any eager loader time to misbehave
  assert.deepEqual(requests.map((u) => new URL(u).pathname), ["/plain.html", SCRIPT]);
  assert.deepEqual(await storage(page), { databases: [], localStorage: 0, cookies: "" });
  assert.equal(await panel(page).count(), 0, "the panel stays hidden");

  await launcher(page).click();
  await portal(panel(page)).createTicket("Where is my order?");
  assert.ok(requests.some((u) => u.endsWith(".wasm")), "the app loads after the click");
  assert.deepEqual((await storage(page)).databases, ["plain"]);
  assert.equal(await launcher(page).getAttribute("aria-expanded"), "true");

  await page.keyboard.press("Escape");
  await panel(page).waitFor({ state: "hidden" });
  assert.equal(await launcher(page).getAttribute("aria-expanded"), "false");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the customer widget takes typing after 4 requests; the help desk's code comes behind the form", async () => {
  const { context, page, errors, requests } = await open("plain.html");
  await launcher(page).waitFor();
  // Every split-off module held back: the form must not need any of them to take typing.
  const splitOff = /\/(split_|chunk_)[^/]*\.wasm$/;
  const held = [];
  let hold = true;
  await page.route(splitOff, (route) => (hold ? held.push(route) : route.continue()));
  const before = requests.length;
  await launcher(page).click();
  const scope = panel(page);
  const p = portal(scope);
  await p.subject().fill("Typed before the desk came");
  await p.describe("The form took this while the desk's code was held back.");
  const name = (u) => new URL(u).pathname.split("/").pop();
  const opened = requests.slice(before).map(name).filter((f) => !/^(split_|chunk_)/.test(f));
  // The glue, the splitter's loader it imports, and the first module.
  assert.deepEqual(opened.sort(), ["__wasm_split.js", "mostrador_wasm.js", "mostrador_wasm_bg.wasm"]);
  assert.ok(opened.length + 1 <= 4, `loader + ${opened.length} requests`);
  // The desk's module was asked for at once, in the background.
  assert.ok(held.some((r) => name(r.request().url()) === "split_portal_desk.wasm"), held.map((r) => r.request().url()).join("\n"));
  // Sent before the desk is here, the ticket waits for it and then goes.
  await p.send().click();
  hold = false;
  for (const route of held.splice(0)) await route.continue();
  await scope.getByRole("heading", { name: L.received }).waitFor();
  await scope.getByRole("button", { name: L.myTickets }).click();
  await p.tickets().getByText("Typed before the desk came").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("the portal's other screens are fetched when first shown, and once", async () => {
  const { context, page, errors, requests } = await open("plain.html");
  await launcher(page).click();
  const p = portal(panel(page));
  await p.send().waitFor();
  const fetched = () => requests.map((u) => new URL(u).pathname.split("/").pop()).filter((f) => f.startsWith("split_"));
  // Only the desk's code comes at once, behind the form.
  assert.deepEqual(fetched().filter((f) => f !== "split_portal_desk.wasm"), []);
  await p.createTicket("Split screens");
  // Typing fetched the code that stores a ticket and the help articles (suggested as the
  // subject is typed); "My tickets" came with its own module.
  const expected = ["split_portal_desk.wasm", "split_portal_help.wasm", "split_portal_tickets.wasm", "split_portal_write.wasm"];
  assert.deepEqual(fetched().sort(), expected);
  await panel(page).getByRole("button", { name: L.helpArticles }).click();
  await panel(page).getByRole("heading", { name: L.helpArticles }).waitFor();
  await panel(page).getByRole("button", { name: L.myTickets }).click();
  await p.tickets().getByText("Split screens").waitFor();
  assert.deepEqual(fetched().sort(), expected, "each module once");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the agent console opens with 4 requests; each other screen's module comes when first shown, once", async () => {
  const { context, page, errors, requests } = await open("desk.html");
  const agent = page.locator("mostrador-desk");
  await agent.getByRole("navigation", { name: "Views" }).waitFor();
  const path = (u) => new URL(u).pathname;
  const dist = SCRIPT.replace(/[^/]*$/, "");
  const opened = requests.map(path).filter((p) => p.startsWith(dist) && !/\/(split_|chunk_)[^/]*$/.test(p));
  // The loader, then the console's glue, the splitter's loader it imports, and the first module.
  assert.deepEqual(opened.sort(), [
    `${dist}console/__wasm_split.js`, `${dist}console/mostrador_console.js`,
    `${dist}console/mostrador_console_bg.wasm`, SCRIPT,
  ]);
  const fetched = () => requests.map(path).filter((p) => /\/split_[^/]*$/.test(p))
    .map((p) => p.slice(dist.length));
  // A first run shows the welcome (its module has the setup and the sample tickets). With no
  // server this console runs the timed rules at once (their module); once the console is idle
  // the ticket's module and the store's writing code come, before the first ticket is opened.
  await agent.getByRole("heading", { name: "Welcome to your help desk" }).waitFor();
  for (let waited = 0; !["ticket", "store"].every((m) => fetched().includes(`console/split_console_${m}.wasm`)); waited += 100) {
    assert.ok(waited < 30_000, `the idle prefetches never came: ${fetched().join(", ")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(fetched().sort(), [
    "console/split_console_setup.wasm", "console/split_console_store.wasm",
    "console/split_console_ticket.wasm", "console/split_rules.wasm",
  ]);
  await agent.getByRole("button", { name: "Try it with sample tickets" }).click();
  // The bulk bar's module comes when a ticket is first ticked.
  const tick = agent.getByRole("checkbox", { name: /^Select / }).first();
  await tick.check();
  await agent.getByRole("group", { name: "Bulk actions" }).getByText("1 selected").waitFor();
  assert.ok(fetched().includes("console/split_console_bulk.wasm"), fetched().join(", "));
  await tick.uncheck();
  await agent.getByRole("table").getByRole("button", { name: /Invoice for March/ }).click();
  await agent.getByLabel("Reply to customer").waitFor();
  for (const [link, heading, module] of [
    ["Log a ticket", "Log a ticket", "log_ticket"],
    ["Dashboard", "Dashboard", "dashboard"],
    ["Help articles", "Help articles", "articles"],
    ["Data and backups", "Data and backups", "data"],
    ["Settings", "Settings", "settings"],
    ["Integrations", "Integrations", "integrations"],
  ]) {
    await agent.getByRole("navigation", { name: "Views" }).getByRole("button", { name: link, exact: true }).click();
    await agent.getByRole("heading", { name: heading, exact: true }).waitFor();
    assert.ok(fetched().includes(`console/split_console_${module}.wasm`), `${link}: ${fetched().join(", ")}`);
  }
  // Shown again, nothing is fetched again; the portal's modules never came, nor the memory
  // store's (this browser keeps data), nor sync's (no server).
  await agent.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Dashboard", exact: true }).click();
  await agent.getByRole("heading", { name: "Dashboard", exact: true }).waitFor();
  assert.equal(new Set(fetched()).size, fetched().length, fetched().join(", "));
  assert.deepEqual(fetched().filter((f) => /portal|memory|sync/.test(f)), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a typed subject brings suggested articles from the help module, which opens one", async () => {
  const { context, page, errors } = await open("plain.html");
  await launcher(page).click();
  const scope = panel(page);
  await portal(scope).subject().fill("where is my order");
  const suggestion = scope.getByRole("complementary").getByRole("button", { name: /Where is my order|Dónde está mi pedido|Onde está meu pedido/i });
  await suggestion.click();
  await scope.getByRole("heading", { name: /Where is my order|Dónde está mi pedido|Onde está meu pedido/i }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a screen whose module cannot be fetched says so, and comes when asked again", async () => {
  const { context, page } = await open("plain.html");
  let refuse = true;
  await page.route("**/split_portal_help.wasm", (route) => (refuse ? route.abort("internetdisconnected") : route.continue()));
  await launcher(page).click();
  const scope = panel(page);
  await portal(scope).send().waitFor();
  await scope.getByRole("button", { name: L.helpArticles }).click();
  await scope.getByRole("alert").getByText(L.unavailable).waitFor();
  assert.equal(await scope.getByRole("heading", { name: L.helpArticles }).count(), 0);
  refuse = false;
  await scope.getByRole("button", { name: L.tryAgain }).click();
  await scope.getByRole("heading", { name: L.helpArticles }).waitFor();
  assert.equal(await scope.getByText(L.unavailable).count(), 0);
  await context.close();
});

test("a ticket sent while its code cannot be fetched stays in the form, and goes when sent again", async () => {
  const { context, page } = await open("plain.html");
  let refuse = true;
  await page.route("**/split_portal_write.wasm", (route) => (refuse ? route.abort("internetdisconnected") : route.continue()));
  await launcher(page).click();
  const scope = panel(page);
  const p = portal(scope);
  await p.subject().fill("Sent on a bad connection");
  await p.describe("Details of the problem.");
  await p.send().click();
  await scope.getByText(/A part of the help desk this needs could not be downloaded|Falta una parte del centro de ayuda|Falta uma parte da central de ajuda/).waitFor();
  assert.equal(await p.subject().inputValue(), "Sent on a bad connection", "nothing typed is lost");
  assert.equal(await scope.getByLabel(L.description).inputValue(), "Details of the problem.");
  refuse = false;
  await p.send().click();
  await scope.getByRole("heading", { name: L.received }).waitFor();
  await context.close();
});

test("the help desk's code that cannot be fetched leaves the form as typed, and comes when asked again", async () => {
  const { context, page } = await open("plain.html");
  let refuse = true;
  await page.route("**/split_portal_desk.wasm", (route) => (refuse ? route.abort("internetdisconnected") : route.continue()));
  await launcher(page).click();
  const scope = panel(page);
  const p = portal(scope);
  await p.subject().fill("Typed on a bad connection");
  await scope.getByRole("alert").getByText(L.unavailable).waitFor();
  assert.equal(await p.subject().inputValue(), "Typed on a bad connection", "the form keeps what was typed");
  refuse = false;
  await scope.getByRole("button", { name: L.tryAgain }).click();
  await p.describe("Sent once the desk came.");
  await p.send().click();
  await scope.getByRole("heading", { name: L.received }).waitFor();
  assert.equal(await scope.getByText(L.unavailable).count(), 0);
  await context.close();
});

test("hovering the launcher preloads the app but writes no storage", async () => {
  const { context, page, requests } = await open("plain.html");
  await launcher(page).hover();
  await page.waitForResponse((r) => r.url().endsWith(".wasm"));
  await page.waitForTimeout(200);
  assert.ok(requests.some((u) => u.endsWith(".wasm")));
  assert.deepEqual((await storage(page)).databases, []);
  await context.close();
});

test("a hostile host stylesheet changes nothing inside the widget, and ours stays inside", async () => {
  const snapshot = async (name) => {
    const { context, page, errors } = await open(name);
    const hostCopy = await computed(page.locator("#copy"));
    await launcher(page).click();
    const p = portal(panel(page));
    await p.send().waitFor();
    const styles = {
      launcher: await computed(launcher(page)),
      panel: await computed(panel(page)),
      heading: await computed(p.heading()),
      subject: await computed(p.subject()),
      send: await computed(p.send()),
    };
    const hostCopyAfter = await computed(page.locator("#copy"));
    const sheets = await page.evaluate(() => [document.styleSheets.length, document.adoptedStyleSheets.length]);
    await context.close();
    return { styles, hostCopy, hostCopyAfter, sheets, errors };
  };
  const plain = await snapshot("plain.html");
  const hostile = await snapshot("hostile.html");
  assert.equal(hostile.hostCopy["font-size"], "30px", "the hostile stylesheet is in force on the host");
  assert.deepEqual(hostile.styles, plain.styles);
  // Our CSS does not reach the host page's elements, nor add stylesheets to its document.
  assert.deepEqual(plain.hostCopyAfter, plain.hostCopy);
  assert.deepEqual(hostile.hostCopyAfter, hostile.hostCopy);
  assert.deepEqual(plain.sheets, [0, 0]);
  assert.deepEqual(hostile.sheets, [1, 0]);
  assert.deepEqual([...plain.errors, ...hostile.errors], []);
});

test("options theme the launcher and the app, position it and pick its language", async () => {
  const { context, page, errors } = await open("themed.html");
  const button = launcher(page, "Need help?");
  await button.waitFor();
  const box = await button.boundingBox();
  assert.ok(box.x < 100, `launcher on the left, at x=${box.x}`);
  assert.equal((await computed(button))["background-color"], "rgb(194, 65, 12)");
  await button.click();
  const dialog = page.getByRole("dialog", { name: "Centro de ayuda" });
  await dialog.waitFor();
  const send = portal(dialog).send();
  await send.waitFor();
  assert.equal((await computed(send))["background-color"], "rgb(194, 65, 12)");
  assert.equal(await dialog.getByRole("button", { name: "Cerrar" }).count(), 1);
  const lang = await page.evaluate(() => Mostrador.widget.state().locale);
  assert.equal(lang, "es");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the widget follows the system's colour scheme unless the host forces one", async () => {
  const DARK_BG = "rgb(17, 24, 39)";
  const LIGHT_BG = "rgb(255, 255, 255)";
  const look = async (name, system) => {
    const { context, page, errors } = await open(name);
    await page.emulateMedia({ colorScheme: system });
    await launcher(page).click();
    const send = portal(panel(page)).send();
    await send.waitFor();
    const root = panel(page).locator(".mo-root").first();
    const seen = {
      panel: (await computed(panel(page)))["background-color"],
      app: await root.evaluate((e) => getComputedStyle(e).backgroundColor),
      send: (await computed(send))["background-color"],
    };
    assert.deepEqual(errors, []);
    await context.close();
    return seen;
  };
  const darkButton = "rgb(96, 165, 250)";
  assert.deepEqual(await look("auto.html", "dark"), { panel: DARK_BG, app: DARK_BG, send: darkButton });
  assert.deepEqual(await look("auto.html", "light"), { panel: LIGHT_BG, app: LIGHT_BG, send: "rgb(29, 78, 216)" });
  assert.deepEqual(await look("dark.html", "light"), { panel: DARK_BG, app: DARK_BG, send: darkButton });
  assert.deepEqual(await look("light.html", "dark"), { panel: LIGHT_BG, app: LIGHT_BG, send: "rgb(29, 78, 216)" });
});

test("events fire, late ready listeners are called, and unsubscribing stops them", async () => {
  const { context, page, errors } = await open("plain.html");
  await launcher(page).waitFor();
  await page.evaluate(() => {
    window.log = [];
    window.offOpen = Mostrador.on("open", () => log.push("open"));
    Mostrador.on("close", () => log.push("close"));
    Mostrador.on("ready", () => log.push("ready"));
  });
  await launcher(page).click();
  await page.waitForFunction(() => log.includes("ready"));
  await closeButton(page).click();
  assert.deepEqual(await page.evaluate(() => log), ["open", "ready", "close"]);

  await page.evaluate(() => {
    offOpen();
    Mostrador.on("ready", () => log.push("late ready"));
  });
  await page.waitForFunction(() => log.includes("late ready"));
  await page.evaluate(() => Mostrador.toggle());
  await panel(page).waitFor();
  assert.deepEqual(await page.evaluate(() => log), ["open", "ready", "close", "late ready"]);

  // hideLauncher/showLauncher, open/close from the API.
  await page.evaluate(() => { Mostrador.close(); Mostrador.hideLauncher(); });
  await launcher(page).waitFor({ state: "hidden" });
  await page.evaluate(() => Mostrador.showLauncher());
  await launcher(page).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("the launcher and the app pick the same language: the page's, else the browser's", async () => {
  // A Spanish browser on a Brazilian page: the page's language wins, in the launcher and the app.
  // On a French page (a language the help desk does not speak) the browser's Spanish is next.
  for (const [name, label, heading] of [["portuguese.html", "Ajuda", "Central de ajuda"], ["french.html", "Ayuda", "Centro de ayuda"]]) {
    const context = await browser.newContext({ locale: "es-ES", viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/${name}`);
    await launcher(page, label).click();
    await page.getByRole("dialog", { name: heading }).getByRole("heading", { name: heading }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("host calls are validated, kept and handed to the app", async () => {
  const { context, page, errors } = await open("plain.html");
  await launcher(page).waitFor();
  const results = await page.evaluate(() => [
    Mostrador.identify({ id: "cust-42", email: "ana@example.com", signature: "a".repeat(64) }),
    Mostrador.prefill({ subject: "Order 1001", fields: { order: "1001" } }),
    Mostrador.prefill({ priority: "high", fields: { sku: "X-1" } }),
    Mostrador.setLocale("pt-BR"),
  ]);
  assert.deepEqual(results, [true, true, true, true]);
  assert.equal(await launcher(page, "Ajuda").count(), 1, "the default label follows the locale");
  await launcher(page, "Ajuda").click();
  await page.evaluate(() => Mostrador.widget.ready);
  // What the running app (Rust) holds, not the loader's copy.
  const state = await page.evaluate(() => Mostrador.widget.state());
  assert.equal(state.locale, "pt-BR");
  assert.equal(state.identity.id, "cust-42");
  assert.deepEqual(state.prefill.fields, { order: "1001", sku: "X-1" });
  assert.equal(state.prefill.subject, "Order 1001");
  assert.equal(state.prefill.priority, "high");
  // …and what the app does with them: Portuguese, the prefilled subject, no contact fields
  // for an identified visitor; setLocale switches the running app.
  const dialog = page.getByRole("dialog");
  const p = portal(dialog);
  await dialog.getByRole("heading", { name: "Central de ajuda" }).waitFor();
  assert.equal(await p.subject().inputValue(), "Order 1001");
  assert.equal(await dialog.getByLabel(L.email).count(), 0, "no contact fields once identified");
  await page.evaluate(() => Mostrador.setLocale("es"));
  await dialog.getByRole("heading", { name: "Centro de ayuda" }).waitFor();
  // A language the help desk does not speak: refused at the call, the app stays in Spanish.
  assert.equal(await page.evaluate(() => Mostrador.setLocale("de")), false);
  assert.equal((await page.evaluate(() => Mostrador.widget.state())).locale, "es");
  await dialog.getByRole("heading", { name: "Centro de ayuda" }).waitFor();
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0], /setLocale\(\): locale "de" is not a language the help desk speaks; use es, en, pt/);
  await context.close();
});

test("ticket events: created here, then answered by an agent in another tab", async () => {
  const { context, page, errors } = await open("plain.html");
  await launcher(page).waitFor();
  await page.evaluate(() => {
    window.log = [];
    for (const name of ["ticketCreated", "ticketUpdated", "statusChanged"]) {
      Mostrador.on(name, (detail) => log.push({ name, ...detail }));
    }
  });
  await launcher(page).click();
  await portal(panel(page)).createTicket("Events please");
  await page.waitForFunction(() => log.some((e) => e.name === "ticketCreated"));
  const created = (await page.evaluate(() => log)).find((e) => e.name === "ticketCreated");
  assert.match(created.ticket, /^[A-Z]{3}-\d{5}-[A-Z]{3}$/);

  // The shop's agent answers from the back office: same origin, same database.
  const desk = await context.newPage();
  const deskErrors = watchErrors(desk);
  await desk.goto(`${server.url}/desk.html`);
  const agent = desk.locator("mostrador-desk");
  await agent.getByRole("navigation", { name: "Views" }).waitFor();
  await agent.getByRole("table").getByRole("button", { name: new RegExp(created.ticket) }).click();
  await agent.getByRole("heading", { name: "Events please" }).waitFor();
  await agent.getByLabel("Reply to customer").fill("We are on it.");
  await agent.getByRole("button", { name: "Send reply", exact: true }).click();

  await page.waitForFunction(() => log.some((e) => e.name === "statusChanged"));
  const log = await page.evaluate(() => log);
  assert.deepEqual(
    log.find((e) => e.name === "statusChanged"),
    { name: "statusChanged", ticket: created.ticket, from: "new", to: "answered" },
  );
  assert.ok(log.some((e) => e.name === "ticketUpdated" && e.ticket === created.ticket), JSON.stringify(log));
  assert.deepEqual(errors, []);
  assert.deepEqual(deskErrors, []);
  await context.close();
});

test("wrong calls give a console error and an error event, never a silent failure", async () => {
  const { context, page, errors } = await open("plain.html");
  await launcher(page).waitFor();
  const out = await page.evaluate(() => {
    const seen = [];
    Mostrador.on("error", (e) => seen.push(e.message));
    const results = [
      Mostrador.identify({ id: "x" }),
      Mostrador.identify({ id: "x", signature: "s".repeat(40), email: "not-an-email" }),
      Mostrador.prefill({ subjet: "typo" }),
      Mostrador.setLocale("english please"),
    ];
    const off = Mostrador.on("nonsense", () => {});
    return { results, seen, offIsFunction: typeof off === "function" };
  });
  assert.deepEqual(out.results, [false, false, false, false]);
  assert.equal(out.seen.length, 5);
  assert.match(out.seen[0], /signature/);
  assert.match(out.seen[1], /not an e-mail address/);
  assert.match(out.seen[2], /unknown field "subjet"/);
  assert.match(out.seen[3], /not a language tag/);
  assert.match(out.seen[4], /unknown event "nonsense"/);
  assert.ok(out.offIsFunction);
  assert.deepEqual(errors, out.seen);
  await context.close();
});

test("a host call over the app's limits returns false, changes nothing, and the widget still opens", async () => {
  const { context, page, errors } = await open("plain.html");
  await launcher(page).waitFor();
  const results = await page.evaluate(() => [
    Mostrador.prefill({ subject: "Fine subject" }),
    Mostrador.prefill({ subject: "x".repeat(300) }),
    Mostrador.prefill({ fields: { "bad name!": "1" } }),
    Mostrador.prefill({ fields: { order: "y".repeat(1025) } }),
    Mostrador.prefill({ message: "z".repeat(10_001) }),
    Mostrador.identify({ id: "é".repeat(200), signature: "a".repeat(64) }),
    Mostrador.setLocale("zz"),
  ]);
  assert.deepEqual(results, [true, false, false, false, false, false, false]);
  const expected = [
    /prefill\(fields\): subject is longer than 200 characters/,
    /field name "bad name!" must be 1 to 64 letters/,
    /fields\.order is longer than 1024 characters/,
    /message is longer than 10000 characters/,
    /identify\(user\): id must be a string of 1 to 256 bytes/,
    /locale "zz" is not a language the help desk speaks/,
  ];
  assert.equal(errors.length, expected.length, errors.join("\n"));
  expected.forEach((re, n) => assert.match(errors[n], re));
  // Nothing of the refused calls was kept; the widget opens with the good prefill.
  const state = await page.evaluate(() => Mostrador.widget.state());
  assert.equal(state.prefill.subject, "Fine subject");
  assert.deepEqual(state.prefill.fields ?? {}, {});
  assert.equal(state.identity ?? null, null);
  await launcher(page).click();
  await page.evaluate(() => Mostrador.widget.ready);
  const p = portal(panel(page));
  assert.equal(await p.subject().inputValue(), "Fine subject");
  await p.createTicket("Still works");
  assert.equal(errors.length, expected.length, errors.join("\n"));
  await context.close();
});

test("the open panel stays above a host element at the highest z-index", async () => {
  const { context, page, errors } = await open("covered.html");
  await page.waitForFunction(() => window.Mostrador && Mostrador.widget);
  await page.evaluate(() => Mostrador.open());
  await page.evaluate(() => Mostrador.widget.ready);
  const p = portal(panel(page));
  // Clicks land on the panel's controls, not on the overlay (Playwright checks the hit target).
  await p.subject().click({ timeout: 5000 });
  await p.subject().fill("Typed above the overlay");
  await closeButton(page).click({ timeout: 5000 });
  await panel(page).waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => Mostrador.widget.isOpen), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("bad options on the script tag: console error, error event, no launcher", async () => {
  for (const [name, pattern] of [["bad.html", /mode must be "portal" or "console"/], ["typo.html", /unknown option "mood"/]]) {
    const { context, page, errors } = await open(name);
    await page.waitForFunction(() => window.Mostrador);
    const seen = await page.evaluate(
      () => new Promise((ok) => Mostrador.widget.on("error", (e) => ok(e.message))),
    );
    assert.match(seen, pattern);
    assert.equal(errors.length, 1);
    assert.match(errors[0], pattern);
    assert.equal(await page.getByRole("button").count(), 0, `${name}: no launcher`);
    assert.equal(await page.evaluate(() => Mostrador.open()), false);
    await context.close();
  }
});

test("two widgets on one page do not interfere", async () => {
  const { context, page, errors } = await open("two.html");
  await launcher(page).waitFor();
  await page.evaluate(() => {
    window.log = { launcher: [], inline: [] };
    window.inline = Mostrador.mount(document.getElementById("inline"), { dbName: "inline-db" });
    for (const e of ["open", "ready", "close"]) {
      Mostrador.on(e, () => log.launcher.push(e));
      inline.on(e, () => log.inline.push(e));
    }
  });
  const inline = portal(page.locator("#inline"));
  await inline.createTicket("Asked inline");
  await launcher(page).click();
  const fromLauncher = portal(panel(page));
  await fromLauncher.createTicket("Asked in the panel");
  assert.equal(await fromLauncher.tickets().getByText("Asked inline").count(), 0);
  assert.equal(await inline.tickets().getByText("Asked in the panel").count(), 0);
  await page.keyboard.press("Escape");
  const log = await page.evaluate(() => window.log);
  assert.deepEqual(log, { launcher: ["open", "ready", "close"], inline: ["ready"] });
  const dbs = (await storage(page)).databases.sort();
  assert.deepEqual(dbs, ["inline-db", "launcher-db"]);

  // Unmounting one leaves the other working.
  await page.evaluate(() => inline.unmount());
  assert.equal(await inline.send().count(), 0);
  await launcher(page).click();
  await fromLauncher.tickets().getByText("Asked in the panel").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("data-manual loads the API without a launcher; Mostrador.launcher() adds one", async () => {
  const { context, page, errors, requests } = await open("manual.html");
  await page.waitForFunction(() => window.Mostrador);
  assert.equal(await page.getByRole("button").count(), 0);
  await page.evaluate(() => Mostrador.launcher({ launcherText: "Support", dbName: "manual" }));
  await launcher(page, "Support").click();
  await portal(panel(page)).send().waitFor();
  assert.ok(requests.some((u) => u.endsWith(".wasm")));
  await page.evaluate(() => Mostrador.widget.unmount());
  assert.equal(await launcher(page, "Support").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
