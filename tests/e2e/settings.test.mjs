// Settings: an SLA policy change moves a ticket's clocks; a bad time zone is refused beside the
// form; an agent builds a custom view that survives a reload.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serve } from "../support/server.mjs";
import { launch, watchErrors } from "../support/browser.mjs";
import { DIST, ARTIFACTS } from "../support/paths.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { ConsolePage } from "../support/helpdesk.mjs";

let server, browser;
before(async () => {
  server = await serve(DIST);
  browser = await launch();
  await mkdir(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const firstResponse = (p) =>
  p.getByRole("list", { name: "SLA clocks" }).getByRole("listitem").filter({ hasText: "First response" });

async function openSettings(p) {
  await p.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Settings" }).click();
  await p.getByRole("heading", { name: "Settings" }).waitFor();
}

test("changing an SLA policy moves the clocks; a wrong time zone is refused", async () => {
  const context = await browser.newContext({ locale: "en-US" });
  const agent = new ConsolePage(await context.newPage());
  const errors = watchErrors(agent.page);
  const p = agent.page;
  await agent.open(server.url);
  await agent.logTicket("Till drawer stuck");
  const before = await firstResponse(p).textContent();

  await openSettings(p);
  await p.getByLabel("Time zone (IANA, e.g. America/Mexico_City)").fill("Mars/Olympus");
  await p.getByRole("button", { name: "Save settings" }).click();
  await p.getByRole("alert").getByText('"Mars/Olympus" is not a known time zone').waitFor();
  // The core's own checks of the whole value: at least one language.
  const languages = p.getByRole("group", { name: "Languages you offer" });
  for (const l of ["Español", "English", "Português"]) await languages.getByLabel(l).uncheck();
  await p.getByRole("button", { name: "Save settings" }).click();
  await p.getByRole("alert").getByText("offer at least one language").waitFor();
  for (const l of ["Español", "English"]) await languages.getByLabel(l).check();
  await p.getByLabel("Time zone (IANA, e.g. America/Mexico_City)").fill("UTC");
  await p.getByLabel("Opens (Monday to Friday)").fill("00:00");
  await p.getByLabel("Closes", { exact: true }).fill("23:59");
  await p.getByLabel("First response (business hours)").fill("1");
  await assertAccessible(p, assert, "settings");
  await p.screenshot({ path: join(ARTIFACTS, "console-settings.png"), fullPage: true });
  await p.getByRole("button", { name: "Save settings" }).click();
  await p.getByText("Settings saved.").waitFor();

  await agent.view("All");
  await agent.page.getByRole("table").getByRole("button", { name: /Till drawer stuck/ }).click();
  await p.getByRole("heading", { name: "Till drawer stuck" }).waitFor();
  const after = await firstResponse(p).textContent();
  assert.notEqual(after, before, "the first-response clock moved");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an agent saves a custom view that survives a reload", async () => {
  const context = await browser.newContext({ locale: "en-US" });
  const agent = new ConsolePage(await context.newPage());
  const errors = watchErrors(agent.page);
  const p = agent.page;
  await agent.open(server.url);
  for (const s of ["Refund for order 12", "Refund for order 13", "Login loop"]) await agent.logTicket(s);
  await agent.view("All");
  await p.getByLabel("Search tickets").fill("refund");
  await p.getByRole("search").getByRole("button", { name: "Search" }).click();
  await p.getByLabel("View name").fill("Refunds");
  await p.getByRole("button", { name: "Save view" }).click();
  const saved = p.getByRole("list", { name: "Saved views" }).getByRole("button", { name: /^Refunds/ });
  await saved.waitFor();
  await p.reload();
  await p.getByRole("list", { name: "Saved views" }).getByRole("button", { name: /^Refunds/ }).click();
  await p.getByRole("table").getByText("Refund for order 12").waitFor();
  await p.getByRole("table").getByText("Refund for order 13").waitFor();
  assert.equal(await p.getByRole("table").getByText("Login loop").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a new install welcomes the shop and offers sample tickets to try everything", async () => {
  const context = await browser.newContext({ locale: "en-US" });
  const agent = new ConsolePage(await context.newPage());
  const errors = watchErrors(agent.page);
  const p = agent.page;
  await agent.open(server.url);
  const welcome = p.getByRole("region", { name: "Welcome to your help desk" });
  await welcome.waitFor();
  await assertAccessible(p, assert, "welcome");
  await welcome.getByRole("button", { name: "Try it with sample tickets" }).click();
  await welcome.waitFor({ state: "detached" });
  await agent.view("All");
  for (const s of ["My order #1043 has not arrived", "Cannot sign in after changing my password", "Do you ship to the Canary Islands?"]) {
    await p.getByRole("table").getByText(s).waitFor();
  }
  await p.reload();
  await p.getByRole("navigation", { name: "Views" }).waitFor();
  assert.equal(await p.getByRole("region", { name: "Welcome to your help desk" }).count(), 0, "dismissed for good");
  assert.deepEqual(errors, []);
  await context.close();
});
