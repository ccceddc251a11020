//! The diff as a self-contained HTML page: summary tiles, the two emotion curves over each
//! other, and every change listed with its before and after.

use std::fmt::{self, Write};

use super::{MapDiff, metrics};
use crate::curve::{self, CurvePoint};
use crate::escape::Esc;
use crate::palette;

const COL_W: f64 = 132.0;

const CSS: &str = r#"
:root{--ink:#1e293b;--muted:#475569;--line:#e2e8f0;--font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"}
*{box-sizing:border-box}
body{margin:0;background:#f8fafc;color:var(--ink);font:14px/1.5 var(--font);overflow-wrap:anywhere}
h1,h2,h3,p,ul{margin:0}ul{padding:0;list-style:none}
.banner{display:flex;gap:10px;align-items:center;padding:10px 32px;color:#fff;background:linear-gradient(90deg,#1d4ed8,#6d28d9);font-size:13px}
.banner strong{letter-spacing:.14em;border:1.5px solid rgba(255,255,255,.85);border-radius:4px;padding:2px 10px}
main{padding:28px 32px 40px;max-width:1480px}
h1{font-size:26px;line-height:1.25}
h1 .arrow{color:#6d28d9;padding:0 8px}
.sub{color:var(--muted);margin-top:6px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px;margin-top:22px}
.tile{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.tile b{display:block;font-size:26px;line-height:1.1}
.tile span{font-size:12.5px;color:var(--muted)}
.tile.good b{color:#15803d}.tile.bad b{color:#b91c1c}
section{margin-top:30px}
h2{font-size:17px;margin-bottom:10px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.chart{overflow-x:auto}
.chart svg{display:block}
.chart .names{display:grid;font-size:12px;color:var(--muted);text-align:center}
.chart .names span{padding:4px 6px}
.key{display:flex;gap:18px;font-size:12.5px;color:var(--muted);margin-top:8px}
.key i{display:inline-block;width:26px;height:0;border-top:3px solid #94a3b8;vertical-align:middle;margin-right:6px}
.key i.cur{border-top-style:dashed}.key i.fut{border-color:#6d28d9}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);border-radius:10px;overflow:hidden}
th,td{text-align:left;vertical-align:top;padding:8px 12px;border-bottom:1px solid var(--line);font-size:13.5px}
th{font-size:11.5px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);background:#f1f5f9}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f5f9;border-radius:4px;padding:0 4px}
.add{color:#15803d;font-weight:700}.del{color:#b91c1c;font-weight:700}
del{background:#fef2f2;color:#991b1b;text-decoration-color:#dc2626}
ins{background:#f0fdf4;color:#166534;text-decoration:none}
.changes{display:grid;gap:12px}
.changes h3{font-size:15px;margin-bottom:6px}
.changes dl{display:grid;grid-template-columns:150px minmax(0,1fr);gap:6px 12px;margin:0}
.changes dt{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);padding-top:2px}
.changes dd{margin:0}
.sev{display:inline-block;min-width:22px;text-align:center;border-radius:4px;color:#fff;font-size:12px;font-weight:700;margin-right:6px}
.none{color:var(--muted)}
.metrics{width:auto;min-width:100%}
.metrics td{white-space:nowrap;font-variant-numeric:tabular-nums}
.metrics td.step{white-space:normal;min-width:260px}
.metrics small{display:block;font-size:11.5px;color:var(--muted)}
.d{display:inline-block;margin-left:6px;padding:0 6px;border-radius:4px;font-size:12px;font-weight:700;background:#f1f5f9;color:var(--muted)}
.d.better{background:#dcfce7;color:#166534}.d.worse{background:#fee2e2;color:#991b1b}
@page{size:A4 landscape;margin:12mm}
@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}body{background:#fff}main{padding:0}section{break-inside:avoid}}
"#;

/// Renders `diff` as a self-contained HTML page.
pub fn html(diff: &MapDiff) -> String {
    let mut out = String::new();
    write_page(&mut out, diff).expect("writing to a String cannot fail");
    out
}

fn write_page(out: &mut String, diff: &MapDiff) -> fmt::Result {
    let s = &diff.summary;
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    writeln!(
        out,
        "<title>{} \u{2192} {} \u{b7} Trailmap diff</title>\n<style>{CSS}</style>\n</head>\n<body>",
        Esc(&diff.current.name),
        Esc(&diff.future.name)
    )?;
    out.push_str("<div class=\"banner\" role=\"note\"><strong>CURRENT \u{2192} FUTURE</strong><span>What changes from the journey as it is to the journey as it should be</span></div>\n<main>\n");
    writeln!(
        out,
        "<h1 dir=\"auto\">{}<span class=\"arrow\" aria-label=\"to\">\u{2192}</span>{}</h1>",
        Esc(&diff.current.name),
        Esc(&diff.future.name)
    )?;
    writeln!(
        out,
        "<p class=\"sub\">{} steps ({}) \u{2192} {} steps ({}). Total pain severity {} \u{2192} {}.</p>",
        diff.current.n_steps,
        Esc(&diff.current.state),
        diff.future.n_steps,
        Esc(&diff.future.state),
        s.pain_current,
        s.pain_future
    )?;
    out.push_str("<div class=\"tiles\">");
    let tiles: [(usize, &str, &str); 8] = [
        (s.pain_points_resolved, "pain points resolved", "good"),
        (
            s.pain_points_added,
            "new pain points",
            if s.pain_points_added > 0 { "bad" } else { "" },
        ),
        (s.emotion_better, "steps feel better", "good"),
        (
            s.emotion_worse,
            "steps feel worse",
            if s.emotion_worse > 0 { "bad" } else { "" },
        ),
        (s.opportunities_added, "opportunities added", ""),
        (s.steps_added, "steps added", ""),
        (s.steps_removed, "steps removed", ""),
        (
            s.steps_changed + s.steps_moved + s.steps_renamed,
            "steps changed, moved or renamed",
            "",
        ),
    ];
    for (n, label, class) in tiles {
        write!(
            out,
            "<div class=\"tile {class}\"><b>{n}</b><span>{label}</span></div>"
        )?;
    }
    out.push_str("</div>\n");

    write_emotion(out, diff)?;
    write_metrics(out, diff)?;

    if !diff.pain_points_resolved.is_empty() || !diff.pain_points_added.is_empty() {
        out.push_str("<section><h2>Pain points</h2><table><thead><tr><th>Severity</th><th>Pain point</th><th>Step</th><th>Change</th></tr></thead><tbody>");
        for pain in &diff.pain_points_resolved {
            let mut how = pain.how.replace('_', " ");
            if !pain.replaced_by.is_empty() {
                how = format!("{how} by {}", pain.replaced_by.join(", "));
            }
            write!(
                out,
                "<tr><td><span class=\"sev\" style=\"background:{}\">{}</span></td><td dir=\"auto\"><del>{}</del></td><td><code>{}</code></td><td><span class=\"add\">\u{2713} resolved</span> ({})</td></tr>",
                palette::severity(pain.severity),
                pain.severity,
                Esc(&pain.text),
                Esc(&pain.step),
                Esc(&how)
            )?;
        }
        for pain in &diff.pain_points_added {
            write!(
                out,
                "<tr><td><span class=\"sev\" style=\"background:{}\">{}</span></td><td dir=\"auto\"><ins>{}</ins></td><td><code>{}</code></td><td><span class=\"del\">! new</span></td></tr>",
                palette::severity(pain.severity),
                pain.severity,
                Esc(&pain.text),
                Esc(&pain.step)
            )?;
        }
        out.push_str("</tbody></table></section>\n");
    }

    if !diff.steps_added.is_empty()
        || !diff.steps_removed.is_empty()
        || !diff.steps_moved.is_empty()
        || !diff.steps_renamed.is_empty()
    {
        out.push_str("<section><h2>Steps</h2><table><thead><tr><th>Change</th><th>Step</th><th>Details</th></tr></thead><tbody>");
        for step in &diff.steps_added {
            write!(
                out,
                "<tr><td class=\"add\">+ added</td><td dir=\"auto\"><ins>{}</ins> <code>{}</code></td><td>in {} (step {})</td></tr>",
                Esc(&step.name),
                Esc(&step.id),
                Esc(&step.stage_name),
                step.position
            )?;
        }
        for removed in &diff.steps_removed {
            write!(
                out,
                "<tr><td class=\"del\">\u{2212} removed</td><td dir=\"auto\"><del>{}</del> <code>{}</code></td><td>from {}",
                Esc(&removed.step.name),
                Esc(&removed.step.id),
                Esc(&removed.step.stage_name)
            )?;
            if !removed.replaced_by.is_empty() {
                write!(
                    out,
                    "; replaced by <code>{}</code>",
                    Esc(&removed.replaced_by.join(", "))
                )?;
            }
            out.push_str("</td></tr>");
        }
        for moved in &diff.steps_moved {
            write!(
                out,
                "<tr><td>\u{21c4} moved</td><td dir=\"auto\">{} <code>{}</code></td><td><code>{}</code>, {} \u{2192} <code>{}</code>, {}</td></tr>",
                Esc(&moved.name),
                Esc(&moved.id),
                Esc(&moved.from_stage),
                after(&moved.from_after),
                Esc(&moved.to_stage),
                after(&moved.to_after)
            )?;
        }
        for renamed in &diff.steps_renamed {
            write!(
                out,
                "<tr><td>\u{270e} renamed</td><td><code>{}</code></td><td dir=\"auto\"><del>{}</del> \u{2192} <ins>{}</ins></td></tr>",
                Esc(&renamed.id),
                Esc(&renamed.from),
                Esc(&renamed.to)
            )?;
        }
        out.push_str("</tbody></table></section>\n");
    }

    if !diff.steps_changed.is_empty() {
        out.push_str("<section><h2>Changed steps</h2><div class=\"changes\">");
        for changed in &diff.steps_changed {
            write!(
                out,
                "<article class=\"card\"><h3 dir=\"auto\">{} <code>{}</code></h3><dl>",
                Esc(&changed.name),
                Esc(&changed.id)
            )?;
            for t in &changed.touchpoints_added {
                write!(
                    out,
                    "<dt>Touchpoint</dt><dd><ins>+ {}</ins></dd>",
                    Esc(&touchpoint(t))
                )?;
            }
            for t in &changed.touchpoints_removed {
                write!(
                    out,
                    "<dt>Touchpoint</dt><dd><del>\u{2212} {}</del></dd>",
                    Esc(&touchpoint(t))
                )?;
            }
            for lane in &changed.lanes {
                write!(
                    out,
                    "<dt>{}</dt><dd dir=\"auto\">",
                    Esc(&lane.lane.replace(['.', '_'], " "))
                )?;
                match &lane.current {
                    Some(text) => write!(out, "<del>{}</del>", Esc(text))?,
                    None => out.push_str("<span class=\"none\">(none)</span>"),
                }
                out.push_str(" \u{2192} ");
                match &lane.future {
                    Some(text) => write!(out, "<ins>{}</ins>", Esc(text))?,
                    None => out.push_str("<span class=\"none\">(none)</span>"),
                }
                out.push_str("</dd>");
            }
            out.push_str("</dl></article>\n");
        }
        out.push_str("</div></section>\n");
    }

    if !diff.opportunities_added.is_empty() {
        out.push_str("<section><h2>Opportunities added</h2><table><thead><tr><th>Status</th><th>Opportunity</th><th>Step</th><th>Owner</th></tr></thead><tbody>");
        for opportunity in &diff.opportunities_added {
            write!(
                out,
                "<tr><td>{}</td><td dir=\"auto\">{}</td><td><code>{}</code></td><td dir=\"auto\">{}</td></tr>",
                Esc(&opportunity.status),
                Esc(&opportunity.text),
                Esc(&opportunity.step),
                Esc(opportunity.owner.as_deref().unwrap_or(""))
            )?;
        }
        out.push_str("</tbody></table></section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    Ok(())
}

/// Both emotion curves over the future map's steps: the current one dashed and grey, the
/// future one in colour, so the lift (or the dip) is visible at once.
fn write_emotion(out: &mut String, diff: &MapDiff) -> fmt::Result {
    let n = diff.emotion.len();
    if n == 0 {
        return Ok(());
    }
    let width = n as f64 * COL_W;
    let future: Vec<CurvePoint<'_>> = diff
        .emotion
        .iter()
        .enumerate()
        .map(|(column, e)| CurvePoint {
            column,
            name: &e.name,
            score: e.future,
            measured: None,
        })
        .collect();
    writeln!(
        out,
        "<section><h2>Emotion, current vs future</h2><div class=\"card chart\"><svg viewBox=\"0 0 {width:.1} {h:.1}\" width=\"{width:.0}\" height=\"{h:.0}\" role=\"img\" aria-label=\"Emotion per step, current and future\">",
        h = curve::HEIGHT
    )?;
    curve::write_chart(out, &future, n, COL_W, "tm-diff-emo")?;
    // The current curve goes over the future one's background but stays quiet: dashed grey.
    let current: Vec<(f64, f64)> = diff
        .emotion
        .iter()
        .enumerate()
        .filter_map(|(column, e)| {
            e.current
                .map(|s| ((column as f64 + 0.5) * COL_W, curve::y_of(s)))
        })
        .collect();
    if current.len() > 1 {
        write!(
            out,
            "<path d=\"{}\" fill=\"none\" stroke=\"#64748b\" stroke-width=\"2\" stroke-dasharray=\"6 5\"/>",
            curve::monotone_path(&current)
        )?;
    }
    for (x, y) in &current {
        write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4.5\" fill=\"#ffffff\" stroke=\"#64748b\" stroke-width=\"2\"/>"
        )?;
    }
    write!(
        out,
        "</svg><div class=\"names\" style=\"grid-template-columns:repeat({n},{COL_W}px)\">"
    )?;
    for change in &diff.emotion {
        write!(out, "<span dir=\"auto\">{}</span>", Esc(&change.name))?;
    }
    out.push_str("</div><p class=\"key\"><span><i class=\"cur\"></i>current</span><span><i class=\"fut\"></i>future</span></p></div></section>\n");
    Ok(())
}

/// The measured figures per step: one row per future step, one column per figure, each cell
/// "before \u{2192} after" with the change coloured when it is known which way is good.
fn write_metrics(out: &mut String, diff: &MapDiff) -> fmt::Result {
    let Some(first) = diff.metrics.first() else {
        return Ok(());
    };
    // Every step lists the same figures in the same order, except outcomes only one side has.
    let mut columns: Vec<(String, Option<String>)> = Vec::new();
    for step in &diff.metrics {
        for m in &step.metrics {
            let key = (m.metric.clone(), m.outcome.clone());
            if !columns.contains(&key) {
                columns.push(key);
            }
        }
    }
    let _ = first;
    out.push_str("<section><h2>Measured, current vs future <small class=\"none\">all customers</small></h2><div class=\"chart\"><table class=\"metrics\"><thead><tr><th>Step</th>");
    for (metric, outcome) in &columns {
        let probe = super::MetricDelta {
            metric: metric.clone(),
            outcome: outcome.clone(),
            current: None,
            future: None,
            delta: None,
            verdict: None,
        };
        write!(out, "<th>{}</th>", Esc(&metrics::label(&probe)))?;
    }
    out.push_str("</tr></thead><tbody>");
    for step in &diff.metrics {
        write!(
            out,
            "<tr><td class=\"step\" dir=\"auto\">{} <code>{}</code>",
            Esc(&step.name),
            Esc(&step.step)
        )?;
        if let Some(from) = &step.current_step {
            write!(out, "<small>was <code>{}</code></small>", Esc(from))?;
        }
        out.push_str("</td>");
        for (metric, outcome) in &columns {
            let Some(m) = step
                .metrics
                .iter()
                .find(|m| &m.metric == metric && &m.outcome == outcome)
                .filter(|m| m.current.is_some() || m.future.is_some())
            else {
                out.push_str("<td class=\"none\">\u{b7}</td>");
                continue;
            };
            write!(
                out,
                "<td>{} \u{2192} <b>{}</b>",
                metrics::value(m, m.current),
                metrics::value(m, m.future)
            )?;
            if let Some(change) = metrics::change(m) {
                let class = match m.verdict.as_deref() {
                    Some("better") => " better",
                    Some("worse") => " worse",
                    _ => "",
                };
                write!(out, "<span class=\"d{class}\">{change}</span>")?;
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div></section>\n");
    Ok(())
}

/// `after <code>id</code>`, or `first`.
fn after(id: &Option<String>) -> String {
    id.as_deref().map_or_else(
        || "first".to_owned(),
        |id| format!("after <code>{}</code>", Esc(id)),
    )
}

fn touchpoint(t: &super::TouchpointRef) -> String {
    let mut text = t.channel.clone();
    if let Some(name) = &t.name {
        text.push_str(&format!(" \u{201c}{name}\u{201d}"));
    }
    if let Some(initiator) = &t.initiator {
        text.push_str(&format!(" (by {initiator})"));
    }
    text
}
