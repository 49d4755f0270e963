/**
 * The HTML report's stylesheet. Tables with a column per provider take the page's width (fixed
 * layout, long words wrap), so no provider column runs off the screen or the printed page; a run
 * graph shrinks to its box down to three quarters of its size, then scrolls inside it. For print: landscape
 * pages, smaller type, graphs fitted to the page, rows and graphs kept whole.
 */
export const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d5d9e2;--bg:#fff;--native:#d9f2e1;--emulated:#fff1c9;--lossy:#fbd9d6;--unknown:#e6e6e6}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;padding:24px 32px;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.meta{color:var(--muted);margin:0 0 4px}code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f7;padding:1px 4px;border-radius:3px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#f5f6f9;font-weight:600}
table.cols{width:100%;table-layout:fixed}table.cols col.label{width:19%}
table.cost,table.files{width:100%}
td.native{background:var(--native)}td.emulated{background:var(--emulated)}td.lossy{background:var(--lossy)}td.unknown{background:var(--unknown)}
td .mark{font-weight:600}td.lossy .mark{color:#8b1a10}td small,th small{display:block;color:var(--muted);font-size:11.5px;font-weight:400}td.num{text-align:right;font-variant-numeric:tabular-nums}
.summary td.cost{font-size:16px;font-weight:600}.unknown-amount{color:#8b1a10}
ol.risks{margin:0;padding-left:18px}ol.risks li{margin:0 0 4px}.legend span{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:3px}
.graphs{display:grid;grid-template-columns:minmax(0,1fr);gap:12px}figure.run{margin:0;min-width:0;border:1px solid var(--line);border-radius:6px;background:#fbfcfe}
figure.run figcaption{font-weight:600;padding:6px 10px;border-bottom:1px solid var(--line)}.graph{overflow-x:auto;overflow-y:hidden;padding:8px;max-width:100%}
.graph svg{display:block;max-width:100%;height:auto}.none{color:var(--muted);font-style:italic;padding:0 10px}
svg.run-graph text{font:12px system-ui,sans-serif;fill:var(--fg)}svg.run-graph .cluster rect{fill:#f1f4fa;stroke:#b8c2d6}svg.run-graph .cluster text{font-weight:600;fill:#44506a}
svg.run-graph .node rect{fill:#fff;stroke:#5670a8;stroke-width:1.2}svg.run-graph .node.approval rect{fill:#fff4d6;stroke:#b08400}svg.run-graph .node.source rect{fill:#eef6ee;stroke:#4d8a4d}
svg.run-graph .node.trigger rect,svg.run-graph .node.deploy rect{fill:#f4efff;stroke:#7a5bb5}svg.run-graph .edge path{fill:none;stroke:#6d7891;stroke-width:1.2}svg.run-graph .arrow{fill:#6d7891}
svg.run-graph .edge-label{font-size:10.5px;fill:#8a5a00}
ul.diags{margin:4px 0;padding-left:18px}ul.diags li{margin:2px 0}.sev-error{color:#b00020}.sev-warning{color:#8a5a00}.sev-info{color:var(--muted)}
@page{size:A4 landscape;margin:10mm}
@media print{
body{font-size:10px;padding:0;max-width:none}h1{font-size:16px}h2{font-size:13px;margin:14px 0 6px;break-after:avoid}h3{font-size:11px;break-after:avoid}
code{font-size:9px}td small,th small{font-size:8.5px}th,td{padding:2px 4px}.summary td.cost{font-size:11px}
.graph{overflow:visible}.graph svg{min-width:0!important;max-width:100%}figure.run,tr{break-inside:avoid}section.provider{break-before:page}
}
`;
