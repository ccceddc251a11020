//! The HTML map's style sheet: screen layout, print layout and the colour scheme.
//!
//! Kept as one constant so the output stays a single self-contained file. Column widths here
//! must match [`super::grid::STEP_W`] and [`super::grid::LABEL_W`], which size the emotion
//! curve to its columns.

pub(crate) const CSS: &str = r#"
:root{--ink:#1e293b;--muted:#475569;--soft:#64748b;--line:#e2e8f0;--line-strong:#cbd5e1;--canvas:#f8fafc;--paper:#fff;--accent:#1d4ed8;--accent-2:#1e40af;--tint:#eff6ff;--mot:#b45309;--mot-tint:#fffbeb;
--font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"}
.state-future{--accent:#6d28d9;--accent-2:#5b21b6;--tint:#f5f3ff}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--canvas);color:var(--ink);font:14px/1.5 var(--font);overflow-wrap:anywhere}
h1,h2,h3,h4,p,ul,ol,dl,dd,figure,blockquote{margin:0}
ul,ol{padding:0;list-style:none}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.sprite{position:absolute;width:0;height:0;overflow:hidden}
.ic{width:16px;height:16px;flex:none;vertical-align:-3px}
.banner{display:flex;align-items:center;gap:14px;padding:10px 32px;background:var(--accent);color:#fff;font-size:13px;letter-spacing:.02em}
.state-future .banner{background:repeating-linear-gradient(135deg,#6d28d9 0 14px,#5b21b6 14px 28px)}
.banner strong{font-size:14px;letter-spacing:.14em;padding:2px 10px;border:1.5px solid rgba(255,255,255,.85);border-radius:4px}
.page{padding:28px 32px 40px}
.head{display:grid;grid-template-columns:minmax(0,1.4fr) minmax(0,1fr);gap:28px;align-items:start;max-width:1480px;background:var(--paper);border:1px solid var(--line);border-top:4px solid var(--accent);border-radius:10px;padding:24px 28px}
.head h1{font-size:28px;line-height:1.2;letter-spacing:-.01em}
.meta{display:flex;flex-wrap:wrap;gap:6px 8px;margin:10px 0 0}
.chip{display:inline-flex;align-items:center;gap:5px;padding:2px 9px;border-radius:999px;background:#f1f5f9;color:var(--muted);font-size:12px;line-height:1.6}
.chip.state{background:var(--accent);color:#fff;font-weight:700;letter-spacing:.06em}
.desc{margin-top:12px;color:var(--muted);max-width:72ch}
.head h2{font-size:12px;text-transform:uppercase;letter-spacing:.08em;color:var(--soft);margin-bottom:6px}
.head ul{display:grid;gap:4px}
.head li{padding-left:18px;position:relative}
.head li::before{content:"";position:absolute;left:3px;top:.6em;width:7px;height:7px;border-radius:2px;background:var(--accent)}
.head .people{display:flex;flex-wrap:wrap;gap:6px;margin-top:4px}
.head .side{display:grid;gap:18px}
section{margin-top:32px}
section>h2{font-size:18px;margin-bottom:14px;display:flex;align-items:baseline;gap:10px}
section>h2 small{font-size:13px;font-weight:400;color:var(--soft)}
.personas{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px;max-width:1480px}
.persona{background:var(--paper);border:1px solid var(--line);border-radius:10px;padding:18px 20px;display:flex;flex-direction:column;gap:10px}
.persona header{display:flex;gap:12px;align-items:center}
.avatar{width:44px;height:44px;border-radius:50%;display:grid;place-items:center;color:#fff;font-weight:700;font-size:16px;flex:none}
.persona h3{font-size:16px;line-height:1.25}
.persona .sub{font-size:12.5px;color:var(--muted)}
.share{display:flex;align-items:center;gap:8px;font-size:12px;color:var(--muted)}
.share .bar{flex:1;height:6px;border-radius:3px;background:#e2e8f0;overflow:hidden}
.share .bar i{display:block;height:100%;border-radius:3px}
.persona h4{font-size:11px;text-transform:uppercase;letter-spacing:.08em;color:var(--soft);margin-bottom:2px}
.persona ul{display:grid;gap:2px;font-size:13px}
.persona li{padding-left:14px;position:relative}
.persona li::before{content:"";position:absolute;left:2px;top:.62em;width:5px;height:5px;border-radius:50%;background:var(--line-strong)}
.persona blockquote{font-style:italic;color:var(--ink);border-left:3px solid var(--line-strong);padding:2px 0 2px 10px;font-size:13px}
.persona .channels{display:flex;flex-wrap:wrap;gap:6px}
.persona .channels li{padding-left:9px}
.persona .channels li::before{display:none}
.openness{display:inline-flex;gap:3px;vertical-align:middle;margin-left:4px}
.openness i{width:14px;height:6px;border-radius:2px;background:#e2e8f0}
.openness i.on{background:var(--accent)}
.scroll{width:fit-content;max-width:100%;overflow-x:auto;border:1px solid var(--line);border-radius:10px;background:var(--paper)}
table.grid{border-collapse:separate;border-spacing:0;table-layout:fixed}
.grid col.c-label{width:140px}
.grid col.c-step{width:240px}
.grid th,.grid td{text-align:left;vertical-align:top;padding:10px 12px;border-bottom:1px solid var(--line);border-left:1px solid var(--line);font-weight:400}
.grid .sf{border-left:2px solid var(--line-strong)}
.grid th[scope=row],.grid .corner{position:sticky;left:0;z-index:2;background:#f1f5f9;border-left:0;border-right:1px solid var(--line-strong);font-size:11.5px;font-weight:700;text-transform:uppercase;letter-spacing:.07em;color:var(--muted)}
.grid thead .corner{background:var(--paper)}
.stage{background:var(--tint);border-bottom:2px solid var(--accent)!important}
.stage h3{font-size:15px;color:var(--accent-2);line-height:1.3}
.stage .count{font-size:11.5px;color:var(--muted);font-weight:400;margin-left:6px}
.stage p{font-size:12.5px;color:var(--muted);margin-top:2px;font-weight:400}
.step{background:var(--paper)}
.step .num{display:inline-grid;place-items:center;min-width:22px;height:22px;padding:0 5px;border-radius:11px;background:var(--tint);color:var(--accent-2);font-size:11.5px;font-weight:700;margin-bottom:4px}
.step h4{font-size:14.5px;line-height:1.3}
.step .sd{font-size:12.5px;color:var(--muted);margin-top:4px}
.badges{display:flex;flex-wrap:wrap;gap:4px;margin-top:6px}
.badge{display:inline-flex;align-items:center;gap:4px;font-size:11px;line-height:1.5;padding:1px 7px;border-radius:999px;background:#f1f5f9;color:var(--muted)}
.badge.mot{background:var(--mot);color:#fff;font-weight:700}
.badge.ev-observed{background:#dcfce7;color:#166534}
.badge.ev-research{background:#e0f2fe;color:#075985}
.badge.ev-assumption{background:#fef9c3;color:#854d0e}
.badge.ev-proposed{background:#ede9fe;color:#5b21b6}
.dot{width:9px;height:9px;border-radius:50%;display:inline-block;flex:none}
.grid td.mot,.grid th.mot{background-color:var(--mot-tint)}
.grid th.step.mot{box-shadow:inset 0 4px 0 var(--mot)}
.r-group th{background:var(--canvas);padding:6px 0;border-left:0;font-size:11px;font-weight:800;letter-spacing:.12em;text-transform:uppercase;color:var(--accent-2)}
.r-group th span{position:sticky;left:12px;padding:0 12px}
.r-line td{padding:0;border-left:0;height:26px;background:repeating-linear-gradient(90deg,var(--soft) 0 8px,transparent 8px 14px) left center/100% 2px no-repeat,var(--paper)}
.r-line td span{position:sticky;left:12px;display:inline-block;margin-left:12px;padding:1px 10px;border:1px solid var(--soft);border-radius:999px;background:var(--paper);font-size:11px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);line-height:20px;margin-top:1px}
.grid td{font-size:13.5px;line-height:1.45}
.grid td p+p{margin-top:4px}
.lane-thinks td p{font-style:italic}
.lane-goal td p{font-weight:600}
.feel{display:flex;gap:8px;align-items:baseline}
.feel .dot{transform:translateY(1px)}
td.curve{padding:0}
.curve svg{display:block;width:100%;height:auto}
.curve text{font-family:var(--font)}
.tps{display:grid;gap:8px}
.tp{display:flex;gap:8px;align-items:flex-start}
.tp .icb{display:grid;place-items:center;width:28px;height:28px;border-radius:8px;background:var(--tint);color:var(--accent-2);flex:none}
.tp .icb .ic{width:17px;height:17px}
.tp .tn{display:block;font-weight:600;line-height:1.3}
.tp .tm{display:block;font-size:11.5px;color:var(--muted)}
.by{font-size:10.5px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;padding:0 5px;border-radius:4px;margin-left:2px;white-space:nowrap}
.by-customer{color:#0f766e;background:#ccfbf1}
.by-company{color:#6b21a8;background:#f3e8ff}
.dept{display:inline-flex;align-items:center;gap:6px;font-weight:600}
.dept::before{content:"";width:8px;height:8px;border-radius:2px;background:var(--accent)}
.lead{display:block;font-size:12px;color:var(--muted);font-weight:400}
dl.emp{display:grid;grid-template-columns:auto minmax(0,1fr);gap:3px 8px}
dl.emp dt{font-size:10.5px;text-transform:uppercase;letter-spacing:.06em;color:var(--soft);font-weight:700;padding-top:2px}
.cards{display:grid;gap:8px}
.pain{border-left:4px solid;border-radius:6px;padding:6px 9px}
.pain .sev{display:flex;align-items:center;gap:6px;font-size:10.5px;font-weight:700;letter-spacing:.05em;text-transform:uppercase;margin-bottom:2px}
.pain .sev span{display:inline-flex;gap:2px}
.pain .sev i{width:9px;height:5px;border-radius:1px;background:rgba(0,0,0,.12)}
.pain.s4 p,.pain.s5 p{font-weight:600}
.s1{border-color:#facc15;background:#fefce8}.s1 .sev{color:#854d0e}.s1 .sev i.on{background:#facc15}
.s2{border-color:#f59e0b;background:#fffbeb}.s2 .sev{color:#92400e}.s2 .sev i.on{background:#f59e0b}
.s3{border-color:#f97316;background:#fff7ed}.s3 .sev{color:#9a3412}.s3 .sev i.on{background:#f97316}
.s4{border-color:#dc2626;background:#fef2f2}.s4 .sev{color:#991b1b}.s4 .sev i.on{background:#dc2626}
.s5{border-color:#991b1b;background:#fee2e2}.s5 .sev{color:#7f1d1d}.s5 .sev i.on{background:#991b1b}
.who{display:inline-flex;align-items:center;gap:4px;font-size:11.5px;color:var(--muted);margin-top:2px}
.opp{border:1px solid var(--line);border-radius:6px;padding:6px 9px;background:var(--paper)}
.st{display:inline-flex;align-items:center;gap:4px;font-size:10.5px;font-weight:700;letter-spacing:.05em;text-transform:uppercase;padding:0 6px;border-radius:4px;margin-bottom:3px}
.st-idea{color:#475569;background:#f1f5f9}.st-planned{color:#1d4ed8;background:#dbeafe}.st-doing{color:#b45309;background:#fef3c7}.st-done{color:#15803d;background:#dcfce7}
.opp.done{border-color:#bbf7d0}
.owner{display:block;font-size:11.5px;color:var(--muted);margin-top:2px}
.kpis{display:grid;gap:6px}
.kpi b{display:inline-block;font-variant-numeric:tabular-nums;padding:1px 7px;border-radius:5px;background:#f1f5f9;border:1px solid var(--line-strong);font-size:12.5px}
.kpi span{display:block;font-size:11.5px;color:var(--muted);margin-top:2px}
.empty{color:#94a3b8}
.grid th[scope=row] small{display:block;margin-top:4px;font-size:10.5px;font-weight:400;letter-spacing:0;text-transform:none;color:var(--soft)}
.badge.stale{background:#fee2e2;color:#991b1b}
.badge.no-evidence{background:var(--paper);color:#b91c1c;border:1px dashed #dc2626}
.badge.now-observed{background:var(--paper);color:#166534;border:1px solid #86efac}
.badge.mot-data{background:var(--paper);color:var(--mot);border:1px dashed var(--mot);font-weight:700}
.badge.mot-unconfirmed{background:var(--paper);border:1px dashed var(--line-strong)}
.scores{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:6px}
.sc{border:1px solid var(--line);border-top:4px solid;border-radius:6px;padding:4px 4px 3px;background:var(--paper);text-align:center;line-height:1.25}
.sc b{display:block;font-size:17px;font-variant-numeric:tabular-nums}
.sc span{display:block;font-size:10.5px;font-weight:700;letter-spacing:.05em;color:var(--muted)}
.sc small{display:block;font-size:10.5px;color:var(--soft)}
.sc.few{border-style:dashed}.sc.few b{color:var(--soft)}
.senti{display:flex;flex-wrap:wrap;align-items:baseline;gap:0 6px;margin-top:8px;font-size:12.5px}
.scores+.senti{margin-top:8px}
.senti:first-child{margin-top:0}
.senti small{font-size:11px;color:var(--soft)}
.verbatim{margin-top:6px;padding:1px 0 1px 8px;border-left:3px solid #fca5a5;font-style:italic;font-size:12.5px;color:var(--muted)}
.outs{display:grid;gap:7px}
.oc{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:0 8px;align-items:baseline}
.oc .on{font-weight:600}
.oc b{font-variant-numeric:tabular-nums}
.oc .lift{display:inline-block;font-size:11px;font-weight:700;padding:0 5px;border-radius:4px;background:#f1f5f9;color:var(--muted);white-space:nowrap}
.oc.better .lift{background:#dcfce7;color:#166534}
.oc.worse .lift{background:#fee2e2;color:#991b1b}
.oc.ns .lift{font-weight:400}
.oc small{grid-column:1/-1;font-size:11px;color:var(--soft)}
.kpi .act{display:inline-block;margin-left:6px;padding:1px 6px;border-radius:5px;font-size:12px;font-style:normal;font-weight:700;font-variant-numeric:tabular-nums}
.act.met{color:#166534;background:#dcfce7}
.act.missed{color:#991b1b;background:#fee2e2}
.act.no-data{color:var(--muted);font-weight:400;background:#f1f5f9}
.data-card{display:flex;flex-wrap:wrap;gap:18px 40px;max-width:1480px;background:var(--paper);border:1px solid var(--line);border-left:4px solid #0f766e;border-radius:10px;padding:18px 22px}
.data-card>div{flex:1 1 280px;min-width:0}
.facts{flex:1 1 100%;display:flex;flex-wrap:wrap;gap:10px 40px}
.facts dt{font-size:11px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:var(--soft)}
.facts dd{margin:0;font-size:22px;font-weight:700;line-height:1.25;font-variant-numeric:tabular-nums}
.facts dd.period{font-size:17px;line-height:1.6}
.facts small{display:block;font-size:12px;color:var(--muted)}
.facts .met{color:#15803d}.facts .missed{color:#b91c1c;margin-left:8px}
.data h3{font-size:11px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:var(--soft);margin-bottom:6px}
.data h3 b{font-size:13px;letter-spacing:0;color:var(--ink)}
.data p{font-size:12.5px;color:var(--muted)}
.inputs ul{display:grid;gap:3px;margin-bottom:6px}
.inputs li{font-size:12.5px}
.inputs li span{color:var(--muted)}
.data code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f5f9;border-radius:4px;padding:0 4px}
.unmapped ol,.segments ul{display:grid;gap:5px;margin-top:6px;padding:0;list-style:none}
.unmapped li,.segments li{display:grid;grid-template-columns:minmax(0,14em) minmax(48px,1fr) minmax(8em,auto);gap:10px;align-items:center;font-size:12.5px}
.unmapped li>span:last-child,.segments li>span:last-child{text-align:right;font-variant-numeric:tabular-nums}
.segments li{grid-template-columns:minmax(0,11em) minmax(48px,1fr) minmax(8em,auto)}
.unmapped code{justify-self:start}
.data .bar{height:6px;border-radius:3px;background:#e2e8f0;overflow:hidden}
.data .bar i{display:block;height:100%;border-radius:3px;background:#f97316}
.segments li.chosen{font-weight:700}
.legend .dash{display:inline-block;width:26px;height:0;border-top:2.5px dashed #334155}
.legend .act{display:inline-block;padding:0 6px;border-radius:5px;font-style:normal;font-weight:700}
.legend{display:flex;flex-wrap:wrap;gap:18px 36px;font-size:12.5px;color:var(--muted);max-width:1480px}
.legend h3{font-size:11px;text-transform:uppercase;letter-spacing:.08em;color:var(--soft);margin-bottom:6px}
.legend ul{display:flex;flex-wrap:wrap;gap:6px 14px}
.legend li{display:inline-flex;align-items:center;gap:6px}
.legend .sw{width:18px;height:8px;border-radius:2px;display:inline-block}
footer{margin-top:32px;font-size:12px;color:var(--soft)}
.print-only{display:none}
@page{size:A3 landscape;margin:10mm}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:10pt}
.page{padding:0}
.banner{padding:6px 12px}
.head{border-radius:0;max-width:none}
.personas{grid-template-columns:repeat(auto-fill,minmax(250px,1fr))}
.persona{break-inside:avoid}
.map{break-before:page}
.scroll{overflow:visible;border:0;border-radius:0}
table.grid{width:100%!important}
.grid col.c-label{width:118px}
.grid th[scope=row],.grid .corner{font-size:7.5pt;letter-spacing:.03em}
.grid td{font-size:8.5pt;line-height:1.35}
.grid th,.grid td{padding:6px 8px}
.grid col.c-step{width:auto}
.grid th[scope=row],.grid .corner,.r-group th span,.r-line td span{position:static}
.grid tr{break-inside:avoid}
.has-print .screen-only{display:none}
.has-print .print-only{display:block}
.chunk+.chunk{break-before:page}
.chunk>p{font-size:9pt;color:var(--muted);margin-bottom:4px}
.legend{break-inside:avoid}
.data-card{break-inside:avoid}
}
"#;
