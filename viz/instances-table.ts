// The balancer instances' table: one row per instance (per variant), its own figures, then its share
// of each server (up to a table's width of servers; the chart above has every one).
import { attrs, escapeXml } from "./svg.js";
import { formatValue, variantLabel } from "./table-cells.js";
import type { BalancerInstances, Variant } from "./view.js";

/** Servers beyond this many get no column of their own (the chart shows them all). */
const SERVER_COLUMNS = 8;

export function instancesTableHtml(
  data: BalancerInstances,
  variants: ReadonlyArray<Variant>,
  replications: number,
): string {
  const several = data.variants.length > 1;
  const byName = new Map(variants.map((v) => [v.name, v]));
  const serverColumns = data.servers.length <= SERVER_COLUMNS ? data.servers : [];
  const head = [
    ...(several ? ["variant"] : []),
    "instance",
    "Requests",
    "Share",
    "Failed",
    "p50",
    "p99",
    "Max queue",
    "Checks",
    "Downs",
    ...serverColumns.map((s) => `→ ${s}`),
  ];
  const rows = data.rows.map((row) => {
    const v = data.variants.find((d) => d.variant.name === row.variant);
    const instanceIndex = data.instances.indexOf(row.instance);
    const cells: string[] = [];
    if (several) {
      const variant = byName.get(row.variant);
      cells.push(
        `<td class="variant">${variant === undefined ? escapeXml(row.variant) : variantLabel(variant)}</td>`,
      );
    }
    cells.push(
      `<th scope="row" class="server">${escapeXml(row.instance)}</th>`,
      td(formatValue(row.requests, "count")),
      td(formatValue(row.share, "ratio")),
      td(formatValue(row.failed, "count")),
      td(formatValue(row.p50Ms, "ms")),
      td(formatValue(row.p99Ms, "ms")),
      td(formatValue(row.maxQueue, "count")),
      td(formatValue(row.checks, "count")),
      td(formatValue(row.downs, "count")),
      ...serverColumns.map((_, si) => td(formatValue(v?.shares[si]?.[instanceIndex], "ratio"))),
    );
    return `<tr${attrs({ "data-variant": row.variant, "data-instance": row.instance })}>${cells.join("")}</tr>`;
  });
  const note =
    replications > 1
      ? `Means over ${replications} replications, instance by instance (lb1 of every replication together, and so on).`
      : "";
  return `${note === "" ? "" : `<p class="caption">${escapeXml(note)}</p>`}<table class="stats instances"><caption>balancer instances</caption><thead><tr class="columns">${head
    .map((h) => `<th scope="col">${escapeXml(h)}</th>`)
    .join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function td(value: string): string {
  return `<td>${escapeXml(value)}</td>`;
}
