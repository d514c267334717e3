// The report's one stylesheet, inline: system fonts only (nothing to fetch), colour always beside a word or a
// mark, and a print sheet that drops the filter, shows every row and keeps dark fills off paper.
export const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--bg:#fff;
--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--error:#8250df;--error-bg:#fbefff;
--waived:#9a6700;--waived-bg:#fff8c5;--skip:#59636e;--skip-bg:#eff2f5;--accent:#0969da;
--mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
.r,.sec,.fam,.appendix,.start{scroll-margin-top:120px}
body{margin:0;background:var(--soft);color:var(--fg);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px 48px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
a.ref{color:var(--fg);text-decoration:none;font-family:var(--mono);font-size:12px;word-break:break-all}
code,pre,.cid{font-family:var(--mono);font-size:12.5px}
.dim{color:var(--muted)}
.txt{white-space:pre-wrap;overflow-wrap:anywhere}
.top{background:#fff;border-bottom:1px solid var(--line)}
.top .wrap{display:flex;align-items:baseline;gap:12px;padding-top:14px;padding-bottom:14px}
.brand{font-weight:700;font-size:15px;letter-spacing:.2px}
.brand span{display:inline-block;width:10px;height:10px;border-radius:2px;background:var(--fg);margin-right:8px;transform:rotate(45deg)}
.top .what{color:var(--muted)}
h1{font-size:22px;line-height:1.3;margin:22px 0 4px;overflow-wrap:anywhere}
h1 .dim{font-weight:400}
h2{font-size:17px;margin:0 0 12px}
h2 .n{display:inline-block;min-width:24px;padding:0 8px;margin-left:6px;border-radius:12px;background:var(--soft);border:1px solid var(--line);font-size:12px;font-weight:600;text-align:center;vertical-align:2px}
h3.sub{font-size:14px;margin:20px 0 8px;color:var(--muted)}
.hero{display:grid;grid-template-columns:1fr auto;gap:8px 28px;align-items:center;background:#fff;border:1px solid var(--line);border-left:6px solid var(--fail);border-radius:10px;padding:20px 24px;margin:14px 0}
.hero.ok{border-left-color:var(--pass)}
.pill{display:inline-block;font-size:26px;font-weight:800;letter-spacing:.5px;padding:4px 16px;border-radius:8px;color:#fff;background:var(--fail)}
.hero.ok .pill{background:var(--pass)}
.vreason{margin:10px 0 0;font-size:15px;overflow-wrap:anywhere}
.score{grid-row:span 2;text-align:center}
.ring{--p:0;width:118px;height:118px;border-radius:50%;margin:0 auto;display:grid;place-items:center;background:conic-gradient(var(--fail) calc(var(--p)*1%),#e8ebef 0)}
.hero.ok .ring{background:conic-gradient(var(--pass) calc(var(--p)*1%),#e8ebef 0)}
.ring .num{width:90px;height:90px;border-radius:50%;background:#fff;display:flex;align-items:center;justify-content:center;font-size:26px;font-weight:800;font-variant-numeric:tabular-nums}
.ring small{font-size:14px;font-weight:600}
.thr{margin-top:6px;color:var(--muted);font-size:12.5px}
.tiles{display:flex;flex-wrap:wrap;gap:8px}
.tile{display:flex;align-items:baseline;gap:6px;padding:6px 12px;border-radius:8px;border:1px solid var(--line);color:var(--fg);background:#fff}
.tile b{font-size:18px}
.tile.s-pass b{color:var(--pass)}.tile.s-fail b{color:var(--fail)}.tile.s-error b{color:var(--error)}.tile.s-waived b{color:var(--waived)}.tile.s-skip b{color:var(--skip)}
.tile.zero{opacity:.6}
.metas{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:1px;background:var(--line);border:1px solid var(--line);border-radius:10px;overflow:hidden;margin:0 0 14px}
.metas div{background:#fff;padding:8px 14px}
.metas dt{font-size:11.5px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted)}
.metas dd{margin:0;overflow-wrap:anywhere}
.areas,.start,.sec,.appendix,.filters{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:14px 0}
.agrid{display:grid;grid-template-columns:max-content minmax(160px,1fr) 56px auto;gap:8px 16px;align-items:center}
.arow{display:contents}
.aname{font-weight:600}
.bar{position:relative;height:10px;border-radius:5px;background:#e8ebef;overflow:visible}
.bar span{display:block;height:100%;border-radius:5px;background:var(--fail)}
.bar.good span{background:var(--pass)}.bar.warn span{background:#d4a72c}
.bar i{position:absolute;top:-4px;bottom:-4px;width:2px;background:var(--fg);opacity:.55}
.apct{font-weight:700;text-align:right;font-variant-numeric:tabular-nums}
.acounts .c{font-size:12px;margin-right:6px}
.legend{margin:10px 0 0;color:var(--muted);font-size:12px}
.c.s-pass{color:var(--pass)}.c.s-fail{color:var(--fail)}.c.s-error{color:var(--error)}.c.s-waived{color:var(--waived)}.c.s-skip{color:var(--skip)}
.start{border-left:6px solid var(--accent)}
.start p{margin:0 0 8px;color:var(--muted)}
.start ol{margin:0;padding-left:22px}.start li{margin:4px 0}
.filters{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center;padding:10px 20px;box-shadow:0 2px 8px rgba(31,35,40,.06)}
.filters[hidden]{display:none}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center}
.filters legend{float:left;margin-right:6px;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted)}
.filters label{display:inline-flex;gap:4px;align-items:center;font-size:13px;cursor:pointer}
.filters select,.filters input[type=search]{font:inherit;font-size:13px;padding:3px 6px;border:1px solid var(--line);border-radius:6px;background:#fff}
.filters button{font:inherit;font-size:13px;padding:3px 10px;border:1px solid var(--line);border-radius:6px;background:var(--soft);cursor:pointer}
#shown{margin-left:auto;font-weight:600;white-space:nowrap}
.sev{display:inline-block;min-width:64px;text-align:center;padding:1px 8px;border-radius:10px;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.4px;border:1px solid}
.v-critical{background:#82071e;border-color:#82071e;color:#fff}
.v-high{background:var(--fail-bg);border-color:#ff8182;color:#a40e26}
.v-medium{background:#fff1e5;border-color:#ffb77c;color:#953800}
.v-low{background:#ddf4ff;border-color:#80ccff;color:#0550ae}
.v-info{background:var(--soft);border-color:var(--line);color:var(--muted)}
.st{display:inline-block;font-size:12px;font-weight:600;white-space:nowrap}
.st.s-pass,.s-pass{color:var(--pass)}.st.s-fail,.s-fail{color:var(--fail)}.st.s-error,.s-error{color:var(--error)}.st.s-waived{color:var(--waived)}.st.s-skip{color:var(--skip)}
.card{border:1px solid var(--line);border-left:4px solid var(--fail);border-radius:8px;padding:12px 16px;margin:10px 0;background:#fff}
.card[data-s=error]{border-left-color:var(--error)}
.card.root{border-left-color:#82071e;box-shadow:0 0 0 1px #ffcecb inset}
.card.sym{border-left-color:#ff8182;padding:8px 16px}
.rh{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center}
.rh .cid{font-weight:700}
.ttl{font-weight:600;overflow-wrap:anywhere}
.rh .area{margin-left:auto;font-size:12px;color:var(--muted);border:1px solid var(--line);border-radius:10px;padding:0 8px}
.tag{display:inline-block;font-size:11px;padding:0 7px;border-radius:10px;background:var(--soft);border:1px solid var(--line);color:var(--muted);margin-right:4px;overflow-wrap:anywhere}
.tag.rootc{background:#82071e;border-color:#82071e;color:#fff;font-weight:700}
.tag.implied{background:#fff8c5;border-color:#d4a72c;color:#7d4e00}
.explains,.because{margin:8px 0 0}
.ea{display:grid;grid-template-columns:1fr 1fr;gap:10px;margin:10px 0 0}
.ea.one{grid-template-columns:1fr}
.ea>div{border-radius:6px;padding:8px 12px;background:var(--soft);border:1px solid var(--line)}
.ea .act{background:var(--fail-bg);border-color:#ffcecb}
.lbl{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.5px;color:var(--muted);margin-bottom:2px}
.val{font-family:var(--mono);font-size:12.5px}
.items{margin:8px 0 0;padding-left:20px;font-family:var(--mono);font-size:12.5px}
.items li{list-style:none;margin-left:-16px}
.items .more{color:var(--muted)}
.subj{font-weight:600}
.msg{margin:8px 0 0}.msg.small{font-size:13px;margin-top:4px}
.reason{overflow-wrap:anywhere}
.ea>.reason{background:var(--error-bg);border-color:#e6d3ff}
.fix{margin:10px 0 0;border-radius:6px;padding:8px 12px;background:var(--pass-bg);border:1px solid #aceebb}
.fix pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.why{margin:8px 0 0;color:var(--muted);font-size:13px}
.why .lbl{display:inline;margin-right:4px}
.meta{margin-top:10px;font-size:12px;color:var(--muted)}
.meta .at{font-family:var(--mono);margin-right:8px}
.note{color:var(--muted);margin:0 0 10px}
.empty{color:var(--muted);margin:0}
.none{display:none;color:var(--muted);margin:6px 0 0}
.sec.empty-now .none{display:block}
.tw{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 10px;border-bottom:1px solid var(--line);overflow-wrap:break-word}
th{font-size:11.5px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted);background:var(--soft);position:relative}
table.checks td:nth-child(2){min-width:220px}
table.checks .ttl{font-weight:400;color:var(--muted);font-size:12.5px}
tbody tr:hover{background:#fbfcfd}
.appendix h3{font-size:15px;margin:24px 0 8px;padding-top:12px;border-top:1px solid var(--line)}
.appendix h4{font-size:13px;margin:14px 0 6px}
.toc{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px}
.toc a{border:1px solid var(--line);border-radius:14px;padding:2px 10px;font-size:12.5px;background:var(--soft)}
table.facts td{font-size:12.5px}
.counters{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:0 18px;margin:0;font-size:12.5px}
.counters div{display:flex;justify-content:space-between;border-bottom:1px dotted var(--line);padding:2px 0}
.counters dd{margin:0;font-family:var(--mono)}
.zero{color:var(--muted)}
.stats{font-family:var(--mono);font-size:11.5px}.stats span{margin-right:8px;white-space:nowrap}
.gd{display:grid;grid-template-columns:fit-content(35%) minmax(0,1fr);gap:2px 14px;margin:4px 0}
.gd dt{font-weight:600;color:var(--muted)}.gd dd{margin:0;min-width:0;overflow-wrap:break-word}
.gd>.nest{grid-column:1/-1}.gd>dd.nest{padding-left:14px;border-left:2px solid var(--line);margin-bottom:4px}
.gl{margin:0;padding-left:20px}
.recs{margin:0;padding-left:22px}.recs>li{padding:2px 0 6px;border-bottom:1px dotted var(--line)}.recs>li:last-child{border-bottom:0}
.tok{overflow-wrap:anywhere}
pre.json{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px}
.ferr{margin:0}
.rules{margin:0;padding-left:22px}
footer.end{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
@media screen{.x{display:none!important}}
@media (max-width:760px){.hero{grid-template-columns:1fr}.score{grid-row:auto}.metas{grid-template-columns:1fr 1fr}.ea{grid-template-columns:1fr}.agrid{grid-template-columns:max-content 1fr 48px}.acounts{grid-column:1/-1}}
@media print{
body{background:#fff;font-size:11pt}
.wrap{max-width:none;padding:0}
.filters,.toc,.none{display:none!important}
.top{border:0}
.hero,.areas,.start,.sec,.appendix{border:1px solid #999;box-shadow:none;break-inside:auto}
.pill,.hero.ok .pill{background:#fff!important;color:var(--fail);border:3px solid var(--fail)}
.hero.ok .pill{color:var(--pass);border-color:var(--pass)}
.ring .num{background:#fff}
.card{break-inside:avoid;box-shadow:none}
.v-critical,.tag.rootc{background:#fff;color:#82071e}
h2,h3,h4{break-after:avoid}
tr{break-inside:avoid}
thead{display:table-header-group}
.tw{overflow:visible}
a{color:var(--fg)}
}
`;
