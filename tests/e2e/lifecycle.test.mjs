// The whole life of a ticket, both sides in one browser profile: the portal and the console
// share one database, as a small shop with no server runs them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS } from "../support/paths.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { PortalPage, ConsolePage } from "../support/helpdesk.mjs";
import { testBed } from "../support/harness.mjs";

const bed = testBed();

test("open → assign and reply → customer replies → internal note → resolve → rating", async () => {
  const context = await bed.profile();
  const portal = new PortalPage(await context.page());
  const agent = new ConsolePage(await context.page());
  const errors = [...[portal.page, agent.page].map((p) => p.errors)];

  await portal.open(bed.url);
  await assertAccessible(portal.page, assert, "new ticket form");
  const subject = "Mi pedido no llegó";
  const code = await portal.openTicket({ subject, description: "Order **1234**, paid on Monday." });
  await portal.page.screenshot({ path: join(ARTIFACTS, "portal-confirmation.png") });

  // The agent finds it in Unassigned, assigns it to themself and replies.
  await agent.open(bed.url);
  await agent.view("Unassigned");
  await agent.row(code).waitFor();
  await assertAccessible(agent.page, assert, "inbox");
  await agent.page.screenshot({ path: join(ARTIFACTS, "console-inbox.png") });
  await agent.openTicket(code, subject);
  await agent.page.getByLabel("Assignee").selectOption({ label: "Admin" });
  await agent.page.locator(".mo-audit").getByText(/reassigned/).waitFor({ state: "attached" });
  await agent.page.getByLabel("Reply to customer").fill("Hello Lucía, your order ships **today**.");
  await agent.page.getByRole("button", { name: "Send reply", exact: true }).click();
  await agent.page.locator(".mo-ticket-meta").getByText("Answered").waitFor();

  // The customer sees the answer without reloading, and replies.
  await portal.showTicket(subject);
  await portal.page.getByText("your order ships").waitFor();
  assert.equal(await portal.status().textContent(), "Answered");
  await portal.page.getByLabel("Your reply").fill("Thanks! What is the tracking number?");
  await portal.page.getByRole("button", { name: "Send reply" }).click();
  await portal.page.locator(".mo-ticket-meta").getByText("Open", { exact: true }).waitFor();

  // Back to Open on the agent's side, live; the agent writes an internal note.
  await agent.page.locator(".mo-ticket-meta").getByText("Open", { exact: true }).waitFor();
  await agent.page.getByText("What is the tracking number?").waitFor();
  await agent.page.getByRole("button", { name: "Internal note", exact: true }).click();
  await agent.page.getByLabel("Internal note (agents only)").fill("Carrier says it is lost; refund if not found by Friday.");
  await agent.page.getByRole("button", { name: "Add note" }).click();
  await agent.page.locator(".mo-msg-internal").getByText("Carrier says it is lost").waitFor();
  await assertAccessible(agent.page, assert, "ticket view");
  await agent.page.screenshot({ path: join(ARTIFACTS, "console-ticket.png"), fullPage: true });

  // The agent resolves; the customer never sees the note, and rates.
  await agent.page.getByRole("button", { name: "Resolve", exact: true }).click();
  await agent.page.locator(".mo-ticket-meta").getByText("Resolved").waitFor();
  await portal.page.locator(".mo-ticket-meta").getByText("Resolved").waitFor();
  assert.equal(await portal.page.getByText("Carrier says it is lost").count(), 0);
  await portal.page.getByRole("group", { name: "How did we do?" }).getByLabel("5 of 5").check();
  await portal.page.getByLabel("Comment (optional)").fill("Quick and kind.");
  await assertAccessible(portal.page, assert, "customer ticket with rating");
  await portal.page.screenshot({ path: join(ARTIFACTS, "portal-ticket.png"), fullPage: true });
  await portal.page.getByRole("button", { name: "Send rating" }).click();
  await portal.page.getByText("you rated this ticket 5 of 5").waitFor();
  await agent.page.locator(".mo-audit").getByText("rated 5 of 5").waitFor({ state: "attached" });

  assert.deepEqual(errors.flat(), []);
  await context.close();
});
