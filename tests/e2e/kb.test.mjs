// Knowledge-base management: an agent writes and publishes an article, the portal suggests it
// while a customer types, and the console counts the view.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS } from "../support/paths.mjs";
import { assertAccessible } from "../support/a11y.mjs";
import { ConsolePage } from "../support/helpdesk.mjs";
import { testBed } from "../support/harness.mjs";

const bed = testBed();

test("an agent publishes an article; the portal suggests it; the console counts the view", async () => {
  const context = await bed.profile();
  const agent = new ConsolePage(await context.page());
  const errors = [agent.page.errors];
  const a = agent.page;
  await agent.open(bed.url);
  await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Help articles" }).click();
  await a.getByRole("heading", { name: "Help articles" }).waitFor();
  await a.getByRole("button", { name: "New article" }).click();
  await a.getByLabel("Title").fill("Changing the delivery address");
  assert.equal(await a.getByLabel("Address (slug)").inputValue(), "changing-the-delivery-address");
  await a.getByLabel("Tags (comma-separated)").fill("shipping, address");
  await a.getByLabel("Article text").fill("Open **My orders**, pick the order and choose *Change address*.\n\n<script>alert(1)</script>");
  await a.getByRole("button", { name: "Preview" }).click();
  await a.getByRole("region", { name: "Preview" }).locator("strong").getByText("My orders").waitFor();
  assert.equal(await a.getByRole("region", { name: "Preview" }).locator("script").count(), 0, "raw HTML is not run");
  await a.getByRole("region", { name: "Preview" }).getByText("<script>alert(1)</script>").waitFor();
  await assertAccessible(a, assert, "article editor");
  await a.getByRole("button", { name: "Publish" }).click();
  const row = a.getByRole("row").filter({ hasText: "Changing the delivery address" });
  await row.getByText("Published", { exact: true }).waitFor();

  // A draft is not suggested.
  await a.getByRole("button", { name: "New article" }).click();
  await a.getByLabel("Title").fill("Delivery address secrets (draft)");
  await a.getByLabel("Article text").fill("Not ready.");
  await a.getByRole("button", { name: "Save draft" }).click();
  await a.getByRole("row").filter({ hasText: "Delivery address secrets" }).getByText("Draft", { exact: true }).waitFor();
  await a.screenshot({ path: join(ARTIFACTS, "console-articles.png") });

  // The customer, in the same browser (no server): the article is suggested as they type.
  const portal = await context.page();
  errors.push(portal.errors);
  await portal.goto(bed.url + "/");
  await portal.getByLabel("Subject").fill("change delivery address");
  const suggestions = portal.getByRole("complementary");
  await suggestions.getByRole("button", { name: "Changing the delivery address" }).click();
  await portal.getByRole("heading", { name: "Changing the delivery address" }).waitFor();
  assert.equal(await portal.getByText("Delivery address secrets").count(), 0);

  // The console counts the view (one visitor, no ticket yet: one ticket avoided).
  await a.reload();
  await a.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Help articles" }).click();
  const counted = a.getByRole("row").filter({ hasText: "Changing the delivery address" });
  await counted.getByRole("cell", { name: "1", exact: true }).first().waitFor();
  assert.deepEqual((await counted.getByRole("cell").allTextContents()).slice(3), ["1", "1"]);
  assert.deepEqual(errors.flat(), []);
  await context.close();
});
