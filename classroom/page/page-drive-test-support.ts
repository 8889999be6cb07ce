// Reading and driving the served classroom page in browser specs: its counts table, its export, a run to the end.
import type { Page } from "playwright-core";

/** Requests per server as the page's counts table shows them now. */
export async function countsOf(page: Page): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const row of await page.locator("#counts tbody tr").all())
    counts[(await row.getAttribute("data-server")) ?? ""] = Number(
      await row.locator("td.requests").textContent(),
    );
  return counts;
}

/** A server's state as the counts table shows it (UP, DOWN, MAINT, ABSENT…). */
export async function stateOf(page: Page, server: string): Promise<string> {
  return (await page.locator(`#counts tr[data-server="${server}"] td.state`).textContent()) ?? "";
}

/** Plays at ×100 (pressing Play first when `play`) until the clock shows the run's end. */
export async function runToEnd(page: Page, play = false): Promise<void> {
  await page.locator("#speed").selectOption("100");
  if (play) await page.locator("#play").click();
  await page.waitForFunction(
    () => document.getElementById("clock")?.textContent?.includes("(end)"),
    undefined,
    {
      timeout: 30_000,
    },
  );
}

/** The scenario text of the page's last export, once the export (clicked by the caller) is ready. */
export async function lastExport(page: Page): Promise<string> {
  await page.waitForFunction(
    () =>
      (window as unknown as { lbsimClassroom: { lastExport?: string } }).lbsimClassroom.lastExport !==
      undefined,
  );
  return page.evaluate(
    () => (window as unknown as { lbsimClassroom: { lastExport: string } }).lbsimClassroom.lastExport,
  );
}
