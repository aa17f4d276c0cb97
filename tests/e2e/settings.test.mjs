// Settings: an SLA policy change moves a ticket's clocks; every section validates next to its
// fields and saves; the screens fit a phone; an agent builds a custom view; the first-run welcome.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS } from "../support/paths.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { ConsolePage } from "../support/helpdesk.mjs";
import { testBed } from "../support/harness.mjs";

const bed = testBed();

/** A fresh browser profile with the console open. */
async function consoleIn({ clock = false, viewport } = {}) {
  const context = await bed.profile({ acceptDownloads: true, ...(viewport ? { viewport } : {}) });
  const page = await context.page();
  if (clock) await page.clock.install();
  const agent = new ConsolePage(page);
  await agent.open(bed.url);
  return { context, page, agent };
}

/** On a phone the console's pages are behind its Menu button: opens it when it is there. */
async function openMenu(page) {
  const menu = page.getByRole("button", { name: "Menu" });
  if ((await menu.isVisible()) && (await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
}

function nav(page, name) {
  return page.getByRole("navigation", { name: "Views" }).getByRole("button", { name, exact: true });
}

async function openSettings(page, tab) {
  await openMenu(page);
  await nav(page, "Settings").click();
  await page.getByRole("heading", { name: "Settings", exact: true }).waitFor();
  if (tab) await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: tab }).click();
}

async function save(page) {
  await page.getByRole("button", { name: "Save settings" }).click();
}

test("changing an SLA policy moves the ticket's clocks; a bad target is refused next to its field", async () => {
  const { context, page, agent } = await consoleIn({ clock: true });
  const errors = page.errors;
  const code = await agent.logTicket("Printer jam");
  const clocks = page.getByRole("list", { name: "SLA clocks" });
  await clocks.getByText(/^(4 h 00 min|3 h 59 min) left/).first().waitFor();

  await openSettings(page);
  const first = page.getByLabel("First response (minutes)");
  await first.fill("0");
  await save(page);
  await page.getByText("A target must be at least 1 minute (empty = no target).").waitFor();
  assert.equal(await first.getAttribute("aria-invalid"), "true");
  await page.getByText("Fix the errors marked below before saving.").waitFor();
  await assertAccessible(page, assert, "settings: service levels with an error");

  await first.fill("30");
  await save(page);
  await page.getByText("Settings saved. They apply from now on; history is not rewritten.").waitFor();
  assert.equal(await first.getAttribute("aria-invalid"), "false");
  await page.screenshot({ path: join(ARTIFACTS, "settings-sla.png"), fullPage: true });

  // The new target applies to the ticket at once: 30 minutes, then breached once they pass.
  await agent.view("All");
  await agent.openTicket(code, "Printer jam");
  await clocks.getByText(/^(30 min|29 min) left/).first().waitFor();
  await page.clock.fastForward("00:31:00");
  await agent.view("All");
  await agent.openTicket(code, "Printer jam");
  await clocks.getByText("Breached", { exact: true }).first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("business hours, agents, teams, categories, canned responses and ticket rules are edited and saved", async () => {
  const { context, page } = await consoleIn();
  const errors = page.errors;

  await openSettings(page, "Business hours");
  const monday = page.getByLabel("Monday");
  await monday.fill("9-5");
  await page.getByText(/Write ranges such as 09:00-18:00/).first().waitFor();
  assert.equal(await monday.getAttribute("aria-invalid"), "true");
  await monday.fill("09:00-13:00, 14:00-18:00");
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  await page.getByText("Unknown time zone: use an IANA name such as Europe/Madrid.").waitFor();
  await page.getByLabel("Time zone").fill("Europe/Madrid");
  await page.getByRole("button", { name: "Add holiday" }).click();
  await page.getByLabel("Holiday date").fill("2026-12-25");
  await page.getByLabel("Holiday name").fill("Navidad");
  await page.getByLabel("Every year").check();
  await assertAccessible(page, assert, "settings: business hours");
  await page.screenshot({ path: join(ARTIFACTS, "settings-hours.png"), fullPage: true });

  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Teams and categories" }).click();
  await page.getByRole("button", { name: "Add team" }).click();
  await page.getByLabel("Team name").fill("Caja");
  await page.getByRole("button", { name: "Add category" }).click();
  await page.getByLabel("Category name").last().fill("Returns");
  await page.getByLabel("Assignment strategy").selectOption({ label: "Round robin" });
  await assertAccessible(page, assert, "settings: teams and categories");
  await page.screenshot({ path: join(ARTIFACTS, "settings-teams.png"), fullPage: true });

  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Agents" }).click();
  await page.getByRole("button", { name: "Add agent" }).click();
  const agent = page.getByRole("group", { name: "New agent" });
  await agent.getByLabel("Name", { exact: true }).fill("");
  await agent.getByLabel("Email").fill("bruno@example.com");
  await agent.getByLabel("Skills (comma-separated)").fill("billing, android");
  await agent.getByLabel("Capacity (open tickets, 0 = by hand only)").fill("5");
  await agent.getByLabel("Caja").check();
  await save(page);
  await agent.getByText("This field is required.").waitFor();
  await agent.getByLabel("Name", { exact: true }).fill("Bruno Lima");
  await assertAccessible(page, assert, "settings: agents");
  await page.screenshot({ path: join(ARTIFACTS, "settings-agents.png"), fullPage: true });

  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Canned responses" }).click();
  await page.getByRole("button", { name: "Add response" }).click();
  await page.getByLabel("Title").last().fill("Refund on its way");
  await page.getByLabel("Text", { exact: true }).last().fill("Hello {{customer.first_name}}, your refund is on its way.");
  await assertAccessible(page, assert, "settings: canned responses");

  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Ticket rules" }).click();
  await page.getByLabel("Reopen window after resolution (days)").fill("3");
  await page.getByLabel("Close resolved tickets after (days quiet)").fill("10");
  await page.getByLabel("Impact Low, urgency High").selectOption({ label: "High" });
  await page.getByRole("button", { name: "Add field" }).click();
  await page.getByLabel("Key (e.g. order_number)").fill("Order Nº");
  await page.getByLabel("Data type").selectOption({ label: "List of choices" });
  await save(page);
  await page.getByText("Use lowercase letters, digits and _, starting with a letter; no repeats.").waitFor();
  await page.getByText("Write at least one choice.").waitFor();
  await page.getByLabel("Key (e.g. order_number)").fill("size");
  await page.getByLabel("Choices (comma-separated)").fill("S, M, L");
  await page.getByLabel("Only agents see it").check();
  await assertAccessible(page, assert, "settings: ticket rules");
  await page.screenshot({ path: join(ARTIFACTS, "settings-rules.png"), fullPage: true });
  await save(page);
  await page.getByText("Settings saved. They apply from now on; history is not rewritten.").waitFor();

  // Leave and come back: everything was kept.
  await nav(page, "Data and backups").click();
  await openSettings(page, "Agents");
  assert.equal(await page.getByRole("group", { name: "Bruno Lima" }).getByLabel("Caja").isChecked(), true);
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Business hours" }).click();
  assert.equal(await page.getByLabel("Monday").inputValue(), "09:00-13:00, 14:00-18:00");
  assert.equal(await page.getByLabel("Time zone").inputValue(), "Europe/Madrid");
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Ticket rules" }).click();
  assert.equal(await page.getByLabel("Reopen window after resolution (days)").inputValue(), "3");
  assert.equal(await page.getByLabel("Key (e.g. order_number)").inputValue(), "size");
  assert.equal(await page.getByLabel("Choices (comma-separated)").inputValue(), "S, M, L");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the settings and data screens fit a 360-pixel phone", async () => {
  const { context, page } = await consoleIn({ viewport: { width: 360, height: 740 } });
  const overflow = async () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await openSettings(page);
  for (const tab of ["Service levels", "Business hours", "Agents", "Teams and categories", "Canned responses", "Ticket rules", "Shop"]) {
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: tab }).click();
    const o = await overflow();
    assert.ok(o <= 0, `${tab}: the page scrolls sideways by ${o}px`);
  }
  await page.screenshot({ path: join(ARTIFACTS, "settings-phone.png"), fullPage: true });
  await openMenu(page);
  await nav(page, "Data and backups").click();
  await page.getByRole("button", { name: "Export everything" }).waitFor();
  assert.ok((await overflow()) <= 0, "the data screen scrolls sideways");
  await context.close();
});

test("an agent saves a custom view that survives a reload", async () => {
  const context = await bed.profile();
  const agent = new ConsolePage(await context.page());
  const errors = agent.page.errors;
  const p = agent.page;
  await agent.open(bed.url);
  for (const s of ["Refund for order 12", "Refund for order 13", "Login loop"]) await agent.logTicket(s);
  await agent.view("All");
  await p.getByLabel("Search tickets").fill("refund");
  await p.getByRole("search").getByRole("button", { name: "Search" }).click();
  await p.getByText("Save this view…").click();
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
  const context = await bed.profile();
  const agent = new ConsolePage(await context.page());
  const errors = agent.page.errors;
  const p = agent.page;
  await agent.open(bed.url);
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

test("the welcome leads to a short setup that checks each field and saves the shop", async () => {
  const { context, page, agent } = await consoleIn();
  const errors = page.errors;
  const welcome = page.getByRole("region", { name: "Welcome to your help desk" });
  await welcome.getByRole("button", { name: "Set up", exact: true }).click();
  await page.getByRole("heading", { name: "First steps" }).waitFor();
  await page.getByLabel("Shop name").fill("Tienda Sol");
  await page.getByLabel("Opens at (Monday to Friday)").fill("08:00");
  await page.getByLabel("Closes at").fill("07:00");
  await page.getByLabel("Also open on Saturdays").check();
  await page.getByLabel("Time zone").fill("Europe/Madrid");
  await page.getByLabel("Name", { exact: true }).fill("");
  await page.getByRole("button", { name: "Finish setup" }).click();
  await page.getByText("Closing time must be after opening time.").waitFor();
  await page.getByText("This field is required.").waitFor();
  assert.equal(await page.getByLabel("Closes at").getAttribute("aria-invalid"), "true");
  await page.getByLabel("Closes at").fill("17:00");
  assert.equal(await page.getByLabel("Closes at").getAttribute("aria-invalid"), "false");
  await page.getByLabel("Name", { exact: true }).fill("Carmen Díaz");
  await page.getByLabel("Email", { exact: true }).fill("carmen@example.com");
  await assertAccessible(page, assert, "setup");
  await page.screenshot({ path: join(ARTIFACTS, "setup.png"), fullPage: true });
  await page.getByRole("button", { name: "Finish setup" }).click();
  await page.getByRole("heading", { name: "First steps" }).waitFor({ state: "detached" });
  // The header follows at once, without a reload.
  await page.locator(".mo-brand-name").getByText("Tienda Sol").waitFor();
  const signedIn = () => page.getByLabel("Signed in as").evaluate((s) => s.selectedOptions[0]?.textContent.trim());
  for (let i = 0; i < 20 && (await signedIn()) !== "Carmen Díaz"; i++) await page.waitForTimeout(100);
  assert.equal(await signedIn(), "Carmen Díaz");

  // Back in the inbox with the sample tickets; the welcome is gone for good.
  await agent.view("All");
  await page.getByRole("table").getByText("My order #1043 has not arrived").waitFor();
  assert.equal(await welcome.count(), 0);
  await openSettings(page, "Shop");
  assert.equal(await page.getByLabel("Shop name").inputValue(), "Tienda Sol");
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Business hours" }).click();
  assert.equal(await page.getByLabel("Monday").first().inputValue(), "08:00-17:00");
  assert.equal(await page.getByLabel("Saturday").first().inputValue(), "08:00-17:00");
  assert.equal(await page.getByLabel("Sunday").first().inputValue(), "");
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Agents" }).click();
  await page.getByRole("group", { name: "Carmen Díaz" }).waitFor();
  await page.reload();
  await page.getByRole("navigation", { name: "Views" }).waitFor();
  assert.equal(await welcome.count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a shop that speaks only Spanish gets its defaults and sample tickets in Spanish", async () => {
  const { context, page, agent } = await consoleIn();
  const errors = page.errors;
  await page.getByRole("region", { name: "Welcome to your help desk" }).getByRole("button", { name: "Set up", exact: true }).click();
  await page.getByRole("heading", { name: "First steps" }).waitFor();
  await page.getByLabel("Shop name").fill("Tienda Luna");
  const langs = page.getByRole("group", { name: "Languages" });
  await langs.getByLabel("English", { exact: true }).uncheck();
  await langs.getByLabel("Português", { exact: true }).uncheck();
  await page.getByLabel("Time zone").fill("Europe/Madrid");
  await page.getByRole("button", { name: "Finish setup" }).click();
  await page.getByRole("heading", { name: "First steps" }).waitFor({ state: "detached" });
  await agent.view("All");
  await page.getByRole("table").getByText("Mi pedido #1043 no ha llegado").waitFor();
  assert.equal(await page.getByRole("table").getByText("My order #1043 has not arrived").count(), 0);
  await openSettings(page, "Teams and categories");
  const categories = await page.locator("input[id^='mo-set-team-cat-']").evaluateAll((xs) => xs.map((x) => x.value));
  assert.ok(categories.includes("Pedidos") && categories.includes("Facturación"), `categories: ${categories}`);
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Canned responses" }).click();
  const titles = await page.getByLabel("Title", { exact: true }).evaluateAll((xs) => xs.map((x) => x.value));
  assert.ok(titles.includes("Saludo"), `canned responses: ${titles}`);
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Business hours" }).click();
  assert.equal(await page.getByLabel("Calendar name").first().inputValue(), "Horario de atención");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an assignment rule routes phone calls to a team; a macro replies, tags and resolves in one click", async () => {
  const { context, page, agent } = await consoleIn();
  const errors = page.errors;
  const sections = page.getByRole("navigation", { name: "Settings sections" });
  await openSettings(page, "Teams and categories");
  await page.getByRole("button", { name: "Add team" }).click();
  await page.getByLabel("Team name").fill("Caja");
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByRole("group", { name: "Channels" }).getByLabel("Phone").check();
  await page.getByLabel("Send to team").selectOption({ label: "Caja" });
  await save(page);
  await page.getByText("Fix the errors marked below before saving.").waitFor();
  assert.equal(await page.getByLabel("Rule name").getAttribute("aria-invalid"), "true");
  await page.getByLabel("Rule name").fill("Phone calls to Caja");
  await assertAccessible(page, assert, "settings: assignment rules");
  await page.screenshot({ path: join(ARTIFACTS, "settings-rules-assignment.png"), fullPage: true });

  await sections.getByRole("button", { name: "Canned responses" }).click();
  await page.getByRole("button", { name: "Add macro" }).click();
  await page.getByLabel("Macro name").fill("Refund sent");
  await page.getByLabel("Message", { exact: true }).selectOption({ label: "Public reply" });
  await page.getByLabel("Message text").fill("Hello {{customer.first_name}}, your refund is on its way.");
  await page.getByLabel("Status afterwards").selectOption({ label: "Resolve" });
  await page.getByLabel("Add tags").fill("refund");
  await assertAccessible(page, assert, "settings: macros");
  await save(page);
  await page.getByText("Settings saved. They apply from now on; history is not rewritten.").waitFor();

  // A phone call nobody took by hand goes to Caja's queue.
  await agent.logTicket("Refund for a broken kettle", { assignToMe: false });
  const team = await page.getByLabel("Team").evaluate((s) => s.selectedOptions[0].textContent.trim());
  assert.equal(team, "Caja");

  // The macro: one click, one unit of commands.
  await page.getByLabel("Macros").selectOption({ label: "Refund sent" });
  await page.getByRole("button", { name: "Apply macro" }).click();
  await page.getByText("Hello Don, your refund is on its way.").waitFor();
  await page.locator(".mo-ticket-meta .mo-badge").filter({ hasText: "Resolved" }).first().waitFor();
  await page.getByRole("list", { name: "Tags" }).getByText("refund").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
