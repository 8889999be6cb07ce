// screenshots: the README's report screenshots (docs/images/report-*.png) taken in chromium from real `lbsim compare --report` files; `npm run screenshots`.
//
// For each comparison below: `lbsim compare <scenario> --report <tmp>/<name>.html` (the built CLI,
// dist/), the file opened from its file:// URL in headless chromium at 1280 px wide, checked (no
// console error, no request, at least one chart drawn), then two shots: the summary at the top and
// the whole page. The PNGs are written atomically; nothing else is touched.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../files/index.js";
import {
  CHROMIUM_NOT_FOUND,
  findChromium,
  launchChromium,
  openPage,
  saveScreenshot,
} from "../test/chromium.js";

/**
 * The reports shown in the README: the comparison a newcomer reads first (with replications, so
 * that it shows bands and a verdict), and a run with a failover (markers, shading, swimlanes).
 */
const REPORTS = [
  {
    name: "unequal-speed",
    args: ["compare", "scenarios/library/unequal-speed.yaml", "--replications", "5"],
  },
  { name: "failover", args: ["run", "scenarios/library/failover.yaml"] },
] as const;

const WIDTH_PX = 1280;
const HEIGHT_PX = 800;
/** The page's summary, when it marks one; otherwise the first screenful is the summary shot. */
const SUMMARY_SELECTOR = '[data-section="summary"]';
const CHART_SELECTOR = "svg[data-chart]";
const OUT_DIR = "docs/images";

class ScreenshotError extends Error {}

/** Runs `lbsim <command> … --report html`; throws a ScreenshotError that says why when no report came. */
function writeReport(root: string, lbsimArgs: ReadonlyArray<string>, html: string): void {
  const args = ["bin/lbsim.js", ...lbsimArgs, "--deterministic", "--report", html];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 300_000 });
  const command = `lbsim ${args.slice(1).join(" ")}`;
  // Exit 1 is a failed expectation: the report is still written, and shows it.
  if ((run.status === 0 || run.status === 1) && existsSync(html)) return;
  const said = (run.stderr ?? "").trim();
  if (run.status === 2 && said.includes("--report")) {
    throw new ScreenshotError(
      `${command} refused --report:\n  ${said.split("\n").join("\n  ")}\n` +
        "The HTML report is not in this build yet; run `npm run screenshots` once `--report` is (issue 10).",
    );
  }
  const how = run.error !== undefined ? run.error.message : `exit code ${run.status ?? run.signal}`;
  throw new ScreenshotError(`${command} wrote no report (${how}):\n  ${said.split("\n").join("\n  ")}`);
}

async function main(): Promise<number> {
  const root = process.cwd();
  const packageJson = join(root, "package.json");
  if (!existsSync(packageJson) || JSON.parse(readFileSync(packageJson, "utf8")).name !== "lbsim") {
    throw new ScreenshotError("run it from lbsim's folder: npm run screenshots");
  }
  const executablePath = findChromium();
  if (executablePath === undefined) throw new ScreenshotError(CHROMIUM_NOT_FOUND);
  mkdirSync(join(root, OUT_DIR), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "lbsim-screenshots-"));
  const browser = await launchChromium(executablePath);
  try {
    for (const report of REPORTS) {
      const html = join(work, `${report.name}.html`);
      writeReport(root, report.args, html);
      const opened = await openPage(browser, html, { width: WIDTH_PX, height: HEIGHT_PX });
      try {
        const { page, consoleErrors, requests } = opened;
        await page.waitForSelector(CHART_SELECTOR, { timeout: 15_000 }).catch(() => {
          throw new ScreenshotError(
            `${report.name}: the report drew no chart (${CHART_SELECTOR}) within 15 s`,
          );
        });
        // Text is laid out with its final font before the shot.
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        if (consoleErrors.length > 0 || requests.length > 0) {
          throw new ScreenshotError(
            `${report.name}: the report is broken: console errors ${JSON.stringify(consoleErrors)}, requests ${JSON.stringify(requests)}`,
          );
        }
        const hasSummary = (await page.locator(SUMMARY_SELECTOR).count()) > 0;
        const shots = [
          {
            file: `report-${report.name}-summary.png`,
            options: hasSummary ? { selector: SUMMARY_SELECTOR } : {},
          },
          { file: `report-${report.name}-full.png`, options: { fullPage: true } },
        ];
        for (const shot of shots) {
          const taken = await saveScreenshot(page, join(work, shot.file), shot.options);
          const target = join(OUT_DIR, shot.file);
          writeFileAtomic(join(root, target), readFileSync(taken));
          console.log(`wrote ${target}`);
        }
      } finally {
        await opened.close();
      }
    }
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message =
      error instanceof ScreenshotError ? error.message : String((error as Error)?.stack ?? error);
    console.error(`screenshots: ${message}`);
    process.exitCode = 1;
  },
);
