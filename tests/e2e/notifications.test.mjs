// An agent's browser notifications (real sync server binary, embedded SQLite, loopback HTTP; two
// browser profiles): the console offers notifications only on a click; with the permission
// granted through the browser's automation protocol, a customer's new ticket and then the
// customer's reply raise the browser's notifications in the agent's profile, and clicking one
// opens its ticket. The agent's own reply raises none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConsolePage, PortalPage } from "../support/helpdesk.mjs";
import { testBed, synced } from "../support/harness.mjs";

const bed = testBed({ sync: true });

/** Records each notification the page creates (the real ones, which the browser shows). */
function recordNotifications() {
  const Real = window.Notification;
  window.shown = [];
  window.Notification = class extends Real {
    constructor(title, options) {
      super(title, options);
      window.shown.push({ title, body: options?.body ?? "", tag: options?.tag ?? "" });
      window.lastNotification = this;
    }
  };
}

async function signIn(page) {
  await new ConsolePage(page).signIn(bed.url, bed.sync.url);
  await synced(page);
}

test("the console asks for notifications only on a click", async () => {
  const context = await bed.profile();
  const page = await context.page();
  await signIn(page);
  // Nothing was asked on opening: the permission is still the browser's default.
  assert.equal(await page.evaluate(() => Notification.permission), "default");
  const control = page.getByRole("button", { name: "Turn on browser notifications" });
  await control.waitFor();
  // Headless Chromium answers the request itself (denied without a person to ask); the
  // control then says what the browser decided instead of offering itself again.
  await control.click();
  await page.getByText(/notifications (are on|from this site)/).waitFor();
  await context.close();
});

test("a customer's new ticket and reply notify the agent; a click opens the ticket", async () => {
  const agentContext = await bed.profile();
  await agentContext.grantPermissions(["notifications"], { origin: bed.url });
  await agentContext.addInitScript(recordNotifications);
  const agent = await agentContext.page();
  const agentErrors = agent.errors;
  await signIn(agent);
  await agent.getByText("Browser notifications are on").waitFor();

  const customer = new PortalPage(await (await bed.profile()).page());
  await customer.page.goto(`${bed.url}/?sync=${encodeURIComponent(bed.sync.url)}`);
  await synced(customer.page);
  const subject = "The kettle leaks";
  const code = await customer.openTicket({ subject, description: "From the bottom." });
  await synced(customer.page);

  await agent.waitForFunction(() => window.shown.length >= 1, null, { timeout: 20000 });
  let shown = await agent.evaluate(() => window.shown);
  assert.deepEqual(shown[0].title, "New ticket in your queue");
  assert.ok(shown[0].body.includes(code) && shown[0].body.includes(subject), JSON.stringify(shown));

  // A click opens the ticket.
  await agent.evaluate(() => window.lastNotification.dispatchEvent(new Event("click")));
  await agent.getByRole("heading", { name: subject }).waitFor();

  // The agent's own reply tells the agent nothing; the customer's answer does.
  await agent.getByLabel("Reply to customer").fill("Which model is it?");
  await agent.getByRole("button", { name: "Send reply", exact: true }).click();
  await synced(agent);
  await customer.showTicket(subject);
  await customer.page.getByText("Which model is it?").waitFor();
  await customer.page.getByLabel("Your reply").fill("The blue one.");
  await customer.page.getByRole("button", { name: "Send reply" }).click();
  await synced(customer.page);
  await agent.getByText("The blue one.").waitFor();
  await agent.waitForFunction(() => window.shown.length >= 2, null, { timeout: 20000 });
  shown = await agent.evaluate(() => window.shown);
  assert.equal(shown.length, 2, JSON.stringify(shown));
  assert.equal(shown[1].title, "The customer replied");
  assert.equal(shown[1].tag, shown[0].tag, "one notification per ticket");
  assert.deepEqual(agentErrors, []);
  await agentContext.close();
});
