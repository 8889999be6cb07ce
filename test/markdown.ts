// Reading the project's Markdown for its tests: complete scenario blocks, heading anchors, relative links.

/** Lines of a Markdown text with fenced code blocks (``` …) blanked, so that only prose is read. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").map((line) => {
    if (line.trimStart().startsWith("```")) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line;
  });
}

/**
 * The ```yaml blocks that are complete scenarios: those whose first line is `name:` or the comment
 * `# scenario`. Other blocks (a line for editors, a fragment) are left alone. `line` is 1-based.
 */
export function scenarioBlocks(markdown: string): Array<{ line: number; text: string }> {
  const blocks: Array<{ line: number; text: string }> = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== "```yaml") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== "```") end++;
    const body = lines.slice(start, end);
    const first = body.find((l) => l.trim() !== "")?.trim() ?? "";
    if (first.startsWith("name:") || first === "# scenario") {
      blocks.push({ line: start + 1, text: `${body.join("\n")}\n` });
    }
    i = end;
  }
  return blocks;
}

/**
 * The anchors GitHub gives a page's headings: the text without its Markdown (code spans, links,
 * emphasis), lower-cased, punctuation dropped, spaces made hyphens; a repeated one gets -1, -2….
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading === null) continue;
    const text = (heading[1] ?? "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*]/g, "");
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/**
 * The relative links of a page's prose (`[text](target)`, outside code blocks and code spans),
 * split into a path (empty: this page) and an anchor (empty: none). Web and mail links are left out.
 */
export function relativeLinks(markdown: string): Array<{ line: number; path: string; anchor: string }> {
  const links: Array<{ line: number; path: string; anchor: string }> = [];
  proseLines(markdown).forEach((raw, index) => {
    const line = raw.replace(/`[^`]*`/g, (span) => (span.includes("](") ? "" : span));
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? "";
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const hash = target.indexOf("#");
      links.push({
        line: index + 1,
        path: hash < 0 ? target : target.slice(0, hash),
        anchor: hash < 0 ? "" : target.slice(hash + 1),
      });
    }
  });
  return links;
}
