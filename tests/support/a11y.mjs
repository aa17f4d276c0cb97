// Runs axe-core (from tests/node_modules) in a page and returns its WCAG 2.x A/AA violations.
// axe reads open shadow roots, so the app inside the widget's Shadow DOM is checked too.
import { join } from "node:path";
import { ROOT } from "./paths.mjs";

export const AXE = join(ROOT, "tests", "node_modules", "axe-core", "axe.min.js");

export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) {
    await page.addScriptTag({ path: AXE });
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + " — " + n.failureSummary),
    }));
  });
  return violations;
}

/** Fails with a readable list when axe finds anything. */
export async function assertAccessible(page, assert, where) {
  const v = await axeViolations(page);
  assert.deepEqual(v, [], `${where}: ${JSON.stringify(v, null, 2)}`);
}
