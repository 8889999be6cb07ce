// CSS of the tables viz/tables.ts writes (summary, checks, HAProxy-style stats): charts-static's suggested CSS, as the page uses it.
export const TABLES_CSS = `
/* Summary: the headline large, then the figures, then the warnings. */
.summary .headline { font-size: 1.45em; font-weight: 600; line-height: 1.35; margin: 0 0 0.8em; }
.summary .headline-sentence { margin: 0.15em 0; }
.summary-table, .checks-table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0.5em 0 1em; }
.summary-table th, .summary-table td, .checks-table th, .checks-table td { padding: 0.3em 0.8em; border-bottom: 1px solid #d0d7de; text-align: right; white-space: nowrap; }
.summary-table thead th, .checks-table thead th { border-bottom: 2px solid #8c959f; }
.summary-table th[scope="row"], .summary-table th.figure, .summary-table .verdict, .checks-table .expectation, .checks-table .note, .checks-table .result, .checks-table .variant { text-align: left; }
.checks-table code { font-size: 0.95em; }
.summary-table td.winner { font-weight: 700; background: #fff8c5; }
.summary-table .winner-mark { color: #9a6700; }
.summary-table .ci { color: #57606a; font-size: 0.85em; font-weight: normal; }
.summary-table .better { color: #57606a; font-size: 0.8em; font-weight: normal; }
.summary-table .verdict { color: #57606a; }
.summary-table td.verdict[data-verdict="winner"] { color: #1a7f37; font-weight: 600; }
.swatch { vertical-align: -1px; margin-right: 0.35em; }
.warnings { margin: 0.5em 0 1em; }
.warning { border-left: 4px solid #d4a72c; background: #fff8c5; padding: 0.5em 0.8em; margin: 0.4em 0; }
.warning-icon { color: #9a6700; }
/* Checks: ✓ green, ✗ red, the failed rows tinted. */
.check-status { font-weight: 700; }
.check-status.pass, .checks-table tr.pass .result { color: #1a7f37; font-weight: 700; }
.check-status.fail, .checks-table tr.fail .result { color: #cf222e; font-weight: 700; }
.checks-table tr.fail { background: #ffebe9; }
.checks-table .note { color: #57606a; white-space: normal; }
.no-checks { color: #57606a; font-style: italic; }
/* Stats: HAProxy's stats page (rows coloured by their style attribute; classes below for a strict CSP). */
table.stats { border-collapse: collapse; font-family: Verdana, Arial, sans-serif; font-size: 0.8em; margin: 0.5em 0 1em; }
table.stats caption { background: #b00040; color: #ffff40; font-weight: 700; text-align: left; padding: 2px 6px; caption-side: top; }
table.stats th, table.stats td { border: 1px solid gray; padding: 2px 4px; white-space: nowrap; }
table.stats thead th { background: #20d0d0; color: #000; text-align: center; }
table.stats td { text-align: right; }
table.stats th.server, table.stats td.variant, table.stats td.status, table.stats td.lastchk { text-align: left; }
table.stats th.server { font-weight: 700; }
table.stats thead th.lbsim { background: #e8e8d0; }
table.stats tr > .lbsim:nth-last-child(3) { border-left: 3px solid #57606a; }
table.stats tr.backend-row { background: #e8e8d0; font-weight: 700; }
table.stats tr.state-up { background: #c0ffc0; }
table.stats tr.state-going-down { background: #ffffa0; }
table.stats tr.state-down { background: #ff9090; }
table.stats tr.state-going-up { background: #ffd020; }
table.stats tr.state-nolb, table.stats tr.state-drain { background: #20a0ff; }
table.stats tr.state-maint { background: #c07820; }
table.stats tr.state-no-check { background: #e0e0e0; }
table.stats tr.state-absent { background: #f7f7f7; color: #767676; }
table.stats tr.backup.state-up { background: #b0d0ff; }
table.stats tr.backup.state-going-down { background: #c060ff; }
table.stats tr.backup.state-down { background: #ff9090; }
table.stats tr.backup.state-going-up { background: #ff80ff; }
table.stats tr.backup.state-nolb { background: #90b0e0; }
table.stats tr.backup.state-drain { background: #cc9900; }
`;
