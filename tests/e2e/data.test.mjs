// Data portability: a shop exports everything from one browser profile and imports it into a
// fresh one; importing twice adds nothing; a file that is not an export is refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { ARTIFACTS } from "../support/paths.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { ConsolePage } from "../support/helpdesk.mjs";
import { testBed } from "../support/harness.mjs";

const bed = testBed();

async function openData(agent) {
  await agent.page.getByRole("button", { name: "Data and backups" }).click();
  await agent.page.getByRole("heading", { name: "Data and backups" }).waitFor();
}

test("export from one profile, import into a fresh one: same tickets, no duplicates", async () => {
  const source = await bed.profile({ acceptDownloads: true });
  const agentA = new ConsolePage(await source.page());
  const errors = [agentA.page.errors];
  await agentA.open(bed.url);
  for (const s of ["Boiler makes noise", "Invoice 77 is wrong"]) await agentA.logTicket(s);
  // Something for the KPIs to measure: a first response and a resolution.
  await agentA.page.getByLabel("Reply to customer").fill("Corrected invoice attached.");
  await agentA.page.getByRole("button", { name: "Send and resolve" }).click();
  await agentA.status().filter({ hasText: "Resolved" }).waitFor();
  // A team only this profile has: the import adds it to the other one's settings.
  await agentA.page.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Settings" }).click();
  await agentA.page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Teams and categories" }).click();
  await agentA.page.getByRole("button", { name: "Add team" }).click();
  await agentA.page.getByLabel("Team name").fill("Caja");
  // This profile's first agent is somebody else than the other profile's, under the same id.
  await agentA.page.getByRole("navigation", { name: "Settings sections" }).getByRole("button", { name: "Agents" }).click();
  const admin = agentA.page.getByRole("group", { name: "Admin" });
  await admin.getByLabel("Name", { exact: true }).fill("Carlos Ruiz");
  await admin.getByLabel("Email").fill("carlos@example.com");
  await agentA.page.getByRole("button", { name: "Save settings" }).click();
  await agentA.page.getByText("Settings saved.").waitFor();
  await openData(agentA);
  await assertAccessible(agentA.page, assert, "data page");
  const download = agentA.page.waitForEvent("download");
  await agentA.page.getByRole("button", { name: "Export everything (tickets and settings)" }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^mostrador-\d{4}-\d{2}-\d{2}\.json$/);
  const path = join(tmpdir(), `mostrador-export-${process.pid}.json`);
  await file.saveAs(path);
  const exported = JSON.parse(await readFile(path, "utf8"));
  assert.equal(exported.format, "mostrador-events");
  const csvDownload = agentA.page.waitForEvent("download");
  await agentA.page.getByRole("button", { name: "Export tickets as CSV" }).click();
  const csv = await readFile(await (await csvDownload).path(), "utf8");
  assert.match(csv, /^code,subject,status/);
  assert.match(csv, /Invoice 77 is wrong/);

  // A fresh profile: nothing there, then the import.
  const target = await bed.profile();
  const agentB = new ConsolePage(await target.page());
  errors.push(agentB.page.errors);
  await agentB.open(bed.url);
  await openData(agentB);
  const bad = join(tmpdir(), `mostrador-not-export-${process.pid}.json`);
  await writeFile(bad, JSON.stringify({ hello: "world" }));
  await agentB.page.getByLabel("Import a copy").setInputFiles(bad);
  await agentB.page.getByRole("alert").getByText("That file is not a Mostrador copy").waitFor();

  await agentB.page.getByLabel("Import a copy").setInputFiles(path);
  await agentB.page.getByRole("heading", { name: "Import finished" }).waitFor();
  await agentB.page.getByText(`Added ${exported.events.length} events (2 new tickets); 0 were already here.`).waitFor();
  assert.equal(await agentB.page.locator("progress").getAttribute("value"), String(exported.events.length));
  // The team and Carlos, as a person of his own beside this profile's Admin.
  await agentB.page.getByText("Added 2 settings from the file that were missing here").waitFor();
  await agentB.page.screenshot({ path: join(ARTIFACTS, "console-data.png") });
  await agentB.view("All");
  for (const s of ["Boiler makes noise", "Invoice 77 is wrong"]) {
    await agentB.page.getByRole("table").getByText(s).waitFor();
  }
  // His reply reads as his, not as written by this profile's Admin.
  await agentB.page.getByRole("table").getByRole("button", { name: /Invoice 77 is wrong/ }).click();
  const reply = agentB.page.locator(".mo-msg").filter({ hasText: "Corrected invoice attached." });
  assert.equal((await reply.locator(".mo-msg-meta strong").textContent()).trim(), "Carlos Ruiz");
  await agentB.page.getByRole("button", { name: "← Back to inbox" }).click();

  // The same KPIs on both devices: the dashboard is folded from the same events.
  const figures = async (agent) => {
    await agent.page.getByRole("button", { name: "Dashboard" }).click();
    await agent.page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await agent.page.locator(".mo-cards").waitFor();
    return {
      cards: await agent.page.locator(".mo-cards").allTextContents(),
      tables: await agent.page.locator(".mo-dashboard table").allTextContents(),
    };
  };
  const kpisA = await figures(agentA);
  const kpisB = await figures(agentB);
  assert.ok(kpisA.tables.length > 0, "the dashboard has its tables");
  assert.deepEqual(kpisB, kpisA, "the imported profile shows the same KPIs");

  // Importing the same file again adds nothing.
  await openData(agentB);
  await agentB.page.getByLabel("Import a copy").setInputFiles(path);
  await agentB.page.getByText(`Added 0 events (0 new tickets); ${exported.events.length} were already here.`).waitFor();
  assert.deepEqual(errors.flat(), []);
  await source.close();
  await target.close();
});

test("the dashboard draws the KPIs as charts with their figures as tables and CSV", async () => {
  const context = await bed.profile({ acceptDownloads: true });
  const agent = new ConsolePage(await context.page());
  const errors = agent.page.errors;
  const p = agent.page;
  await agent.open(bed.url);
  // Four tickets: one nobody holds; of the admin's, two get answered and resolved, one of
  // those reopens (reopen rate 50 %, SLA met 100 %), and nobody rates any (no satisfaction).
  await agent.logTicket("Printer jams");
  await agent.logTicket("Lost parcel", { assignToMe: false });
  const declined = await agent.logTicket("Card declined");
  const resolveWith = async (text) => {
    await p.getByLabel("Reply to customer").fill(text);
    await p.getByRole("button", { name: "Send and resolve" }).click();
    await agent.status().filter({ hasText: "Resolved" }).waitFor();
  };
  await resolveWith("Please try the card again now.");
  await p.getByRole("button", { name: "Reopen", exact: true }).click();
  await agent.status().filter({ hasText: "Open" }).waitFor();
  await agent.logTicket("Wrong size");
  await resolveWith("The right size is on its way.");
  assert.ok(declined);
  await p.getByRole("button", { name: "Dashboard" }).click();
  await p.getByRole("heading", { name: "Dashboard" }).waitFor();
  const created = p.locator(".mo-card").filter({ hasText: "Tickets created" });
  const filters = p.getByRole("form", { name: "Dashboard filters" });
  await created.getByText("4", { exact: true }).waitFor();
  const chart = p.getByRole("img", { name: /Tickets created by channel/ });
  await chart.waitFor();
  assert.equal(await chart.locator("rect").count() > 0, true);
  await p.locator("figure").filter({ has: chart }).getByRole("list", { name: "Legend" }).getByText("Phone").waitFor();
  const figureOf = (name) => p.getByRole("figure", { name, exact: true });
  // Every KPI the dashboard promises has its chart, or the one shared message when it has
  // nothing to draw: never a blank frame.
  for (const name of [
    "Tickets created by channel", "First response time (median)", "First response time (p90)",
    "Resolution time (median)", "Resolution time (p90)", "First-response SLA met (%)",
    "Resolution SLA met (%)", "Reopened (%)", "First-contact resolution (%)",
    "Satisfaction (average, 1 to 5)", "Open per agent", "Backlog by age",
  ]) {
    const figure = figureOf(name);
    await figure.waitFor();
    const drawn = await figure.getByRole("img").count();
    const empty = await figure.getByText("No data in this period", { exact: true }).count();
    assert.equal(drawn + empty, 1, `${name}: a chart or the empty-state message, exactly one`);
  }
  // Nobody rated: the satisfaction chart says so, in the same words as any other empty chart.
  await figureOf("Satisfaction (average, 1 to 5)").getByText("No data in this period", { exact: true }).waitFor();
  // Answers within seconds are samples: the card and the chart both show them.
  const responseCard = await p.locator(".mo-card").filter({ hasText: "First response (median)" }).locator(".mo-card-value").textContent();
  assert.match(responseCard, /^\d+ (s|min) · p90 \d+ (s|min)$/, `the first-response card reads "${responseCard}"`);
  const response = figureOf("First response time (median)");
  assert.equal(await response.getByRole("img").count(), 1, "the first-response chart draws its samples");
  // Its description reads out the day with samples and counts the days without.
  assert.match(await response.locator("desc").textContent(), /^Bar chart, scale 0 s to \d+ s: \S+ \d+ (s|min); \d+ without data\.$/);
  // Percentages share one 0–100 % scale: 50 % reopened is half as tall as 100 % SLA met.
  const barHeight = async (name) => {
    const bars = figureOf(name).locator("rect.mo-bar");
    assert.equal(await bars.count(), 1, `${name}: one bar (one day)`);
    return (await bars.boundingBox()).height;
  };
  const reopened = await barHeight("Reopened (%)");
  const sla = await barHeight("First-response SLA met (%)");
  assert.ok(Math.abs(reopened / sla - 0.5) < 0.05, `reopened ${reopened}px against SLA ${sla}px`);
  for (const name of ["Reopened (%)", "First-response SLA met (%)"]) {
    const ticks = await figureOf(name).locator("text.mo-tick-value").allTextContents();
    assert.deepEqual(ticks, ["0 %", "25 %", "50 %", "75 %", "100 %"], `${name}: value axis`);
  }
  // A week has room for each bar's value written over it (a month has the description's).
  await filters.getByLabel("Period").selectOption({ label: "Last 7 days" });
  await figureOf("Reopened (%)").locator("text.mo-bar-value").getByText("50 %", { exact: true }).waitFor();
  // Seven days back from now touch eight dates, each on the axis, with or without figures.
  assert.equal(await figureOf("Reopened (%)").locator("text.mo-tick-category").count(), 8, "a week: every date on the axis");
  assert.match(await figureOf("Reopened (%)").locator("desc").textContent(), /scale 0 % to 100 %: .*50 %/);
  // Every chart's value axis is labelled: durations in a unit, counts as tickets.
  const durationTicks = await response.locator("text.mo-tick-value").allTextContents();
  assert.ok(durationTicks.length >= 2 && durationTicks.every((t) => /^\d+([.,]\d)? (s|min|h|d)$/.test(t)), `duration ticks: ${durationTicks}`);
  const open = figureOf("Open per agent");
  await open.getByText("tickets", { exact: true }).waitFor();
  const countTicks = await open.locator("text.mo-tick-value").allTextContents();
  assert.ok(countTicks.length >= 2 && countTicks.every((t) => /^\d+$/.test(t)), `count ticks: ${countTicks}`);
  // Open per agent: one bar per holder, labelled with the agent's name, one "Unassigned".
  const holders = await open.locator("text.mo-tick-category > title").allTextContents();
  assert.deepEqual(holders.sort(), ["Admin", "Unassigned"]);
  // What shows under each bar (the hover title aside) is the name too.
  const shown = await open.locator("text.mo-tick-category").evaluateAll(
    (ts) => ts.map((t) => t.textContent.slice(t.querySelector("title").textContent.length).trim()));
  assert.deepEqual(shown.sort(), ["Admin", "Unassigned"]);
  // The disclosures are targets of at least 24 × 24 px.
  for (const box of await p.locator(".mo-dashboard summary").evaluateAll((ss) => ss.map((s) => s.getBoundingClientRect().toJSON()))) {
    assert.ok(box.height >= 24 && box.width >= 24, `a summary is ${box.width}×${box.height}px`);
  }
  await assertAccessible(p, assert, "dashboard with figures");
  await p.screenshot({ path: join(ARTIFACTS, "console-dashboard-figures.png"), fullPage: true });
  // The figures behind the chart: a table and a CSV.
  const figure = p.locator("figure").filter({ has: chart });
  await figure.getByText("Show the figures").click();
  await figure.getByRole("table").getByRole("columnheader", { name: "phone" }).waitFor();
  const download = p.waitForEvent("download");
  await figure.getByRole("button", { name: "Download CSV" }).click();
  const csv = await readFile(await (await download).path(), "utf8");
  assert.match(csv, /^group,web_form,/);
  assert.match(csv, /,4\r\n/);
  // Filters: one channel.
  await filters.getByLabel("Channel").selectOption({ label: "Email" });
  await created.getByText("0", { exact: true }).waitFor();
  await assertAccessible(p, assert, "dashboard");
  await p.screenshot({ path: join(ARTIFACTS, "console-dashboard.png"), fullPage: true });
  // A quarter is grouped by ISO week.
  await filters.getByLabel("Channel").selectOption({ label: "All channels" });
  await filters.getByLabel("Period").selectOption({ label: "Last 90 days" });
  const volume = p.locator("figure").filter({ has: p.getByRole("img", { name: /Tickets created by channel/ }) });
  await volume.locator("td").filter({ hasText: /^\d{4}-W\d{2}$/ }).first().waitFor({ state: "attached" });
  // On a phone the dashboard does not scroll sideways.
  await p.setViewportSize({ width: 360, height: 740 });
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the dashboard scrolls sideways by ${overflow}px`);
  await p.screenshot({ path: join(ARTIFACTS, "console-dashboard-phone.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
