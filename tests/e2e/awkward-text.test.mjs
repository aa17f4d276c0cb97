// A corpus of hostile and awkward text (tests/support/awkward-text.mjs) typed into the portal's
// and the console's free-text fields and read back on every screen that shows it: the visible
// text is what was typed, nothing runs, and nothing pushes the page sideways, at 1280 and 360 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PortalPage, ConsolePage } from "../support/helpdesk.mjs";
import { AWKWARD, BAD_EMAILS, asLine, squash } from "../support/awkward-text.mjs";
import { testBed } from "../support/harness.mjs";

const bed = testBed();

/** The rendered text of the n-th message of the open ticket. */
const message = (page, n) => page.locator(".mo-thread > li").nth(n).locator(".mo-md");

/** Opens one of the customer's tickets by its code (names may be normalised by the browser). */
async function showByCode(page, code) {
  await page.getByRole("button", { name: "My tickets" }).click();
  await page.getByRole("list", { name: "Your tickets" }).getByRole("button", { name: new RegExp(`^${code} `) }).click();
  await page.locator(".mo-ticket-meta .mo-code").getByText(code).waitFor();
}

async function noOverflow(page, where) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width + 1, `${where}: the page is ${scroll}px wide in a ${width}px window`);
}

async function nothingRan(page, where) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: something ran`);
  assert.equal(await page.locator('a[href^="javascript:"], a[href^="data:"]').count(), 0, `${where}: an unsafe link`);
}

test("awkward text reads back as typed in the portal and the console, runs nothing, overflows nothing", async () => {
  const context = await bed.profile({ viewport: { width: 1280, height: 900 } });
  const portal = new PortalPage(await context.page());
  const agent = new ConsolePage(await context.page());
  const errors = [portal.page, agent.page].map((p) => p.errors);
  await portal.open(bed.url);
  await agent.open(bed.url);

  const codes = new Map();
  for (const entry of AWKWARD) {
    const subject = asLine(`${entry.name}: ${entry.text}`);
    const name = asLine(entry.text).slice(0, 60) || "Ana";
    const code = await portal.openTicket({ subject, description: entry.text, name, email: "ana@example.com" });

    codes.set(entry.name, code);
    // The customer's view of their ticket.
    await showByCode(portal.page, code);
    const p = portal.page;
    assert.equal(await p.locator("#mo-ticket-title").textContent(), subject.normalize("NFC"), `${entry.name}: portal subject`);
    if (entry.literal) assert.equal(squash(await message(p, 0).innerText()), squash(entry.text), `${entry.name}: portal body`);
    await nothingRan(p, `portal, ${entry.name}`);
    await noOverflow(p, `portal, ${entry.name}`);

    // The agent's inbox row and ticket, then a reply and a note with the same text.
    await agent.view("All");
    const row = agent.row(code);
    await row.waitFor();
    assert.ok(squash(await row.textContent()).includes(squash(subject)), `${entry.name}: inbox row`);
    await noOverflow(agent.page, `inbox, ${entry.name}`);
    await row.click();
    const a = agent.page;
    await a.locator(".mo-ticket-meta .mo-code").getByText(code).waitFor();
    if (entry.literal) assert.equal(squash(await message(a, 0).innerText()), squash(entry.text), `${entry.name}: console body`);
    assert.ok(await a.getByText(name.normalize("NFC"), { exact: true }).count() > 0, `${entry.name}: requester name`);
    await a.getByLabel("Reply to customer").fill(entry.text);
    await a.getByRole("button", { name: "Send reply", exact: true }).click();
    await a.locator(".mo-thread > li").nth(1).waitFor();
    if (entry.literal) assert.equal(squash(await message(a, 1).innerText()), squash(entry.text), `${entry.name}: console reply`);
    await nothingRan(a, `console, ${entry.name}`);
    await noOverflow(a, `console ticket, ${entry.name}`);

    // The reply reaches the customer's open page, as typed.
    await p.locator(".mo-thread > li").nth(1).waitFor();
    if (entry.literal) assert.equal(squash(await message(p, 1).innerText()), squash(entry.text), `${entry.name}: portal reply`);
    await nothingRan(p, `portal reply, ${entry.name}`);
    await p.getByRole("button", { name: "New ticket" }).click();
  }

  // E-mail tricks are refused beside the field; nothing is opened.
  const p = portal.page;
  await p.getByRole("button", { name: "New ticket" }).click();
  await p.getByLabel("Subject").fill("E-mail tricks");
  await p.getByLabel("Description").fill("Checking the address rule.");
  await p.getByLabel("Name", { exact: true }).fill("Ana");
  for (const email of BAD_EMAILS) {
    await p.getByLabel("Email", { exact: true }).fill(email);
    await p.getByRole("button", { name: "Send ticket" }).click();
    await p.locator(".mo-field").filter({ has: p.getByLabel("Email", { exact: true }) }).getByText("is not an email address").waitFor();
    assert.equal(await p.getByRole("heading", { name: "We received your ticket" }).count(), 0, email);
  }

  // The same screens on a phone.
  for (const page of [portal.page, agent.page]) await page.setViewportSize({ width: 360, height: 740 });
  await agent.view("All");
  await noOverflow(agent.page, "inbox at 360 px");
  await portal.page.getByRole("button", { name: "My tickets" }).click();
  await noOverflow(portal.page, "my tickets at 360 px");
  await showByCode(portal.page, codes.get("a 2,000-character word"));
  await noOverflow(portal.page, "a ticket at 360 px");
  await agent.openTicket(codes.get("a 2,000-character word"), asLine(`a 2,000-character word: ${AWKWARD.find((e) => e.name === "a 2,000-character word").text}`));
  await noOverflow(agent.page, "a console ticket at 360 px");

  assert.deepEqual(errors, [[], []]);
  await context.close();
});
