//! One row per step with all its lanes, for spreadsheets.
//!
//! Lists inside a cell (personas, touchpoints, pain points) are joined with `; `. A text cell
//! that starts with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` so that a
//! spreadsheet shows it as text instead of running it as a formula (CSV injection).

use trailmap_model::Map;

pub const HEADER: [&str; 27] = [
    "order",
    "stage_id",
    "stage",
    "step_id",
    "step",
    "optional",
    "personas",
    "department",
    "touchpoints",
    "does",
    "goal",
    "thinks",
    "feels",
    "emotion",
    "frontstage",
    "backstage",
    "employee_does",
    "employee_feels",
    "employee_tools",
    "pain_points",
    "max_severity",
    "opportunities",
    "moment_of_truth",
    "kpis",
    "evidence_source",
    "evidence_verified",
    "match",
];

pub fn to_csv(map: &Map) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    write_row(&mut writer, HEADER.iter().map(|h| (*h).to_owned()));
    for s in map.steps() {
        let step = s.step;
        let text = |t: &Option<String>| safe(t.as_deref().unwrap_or_default());
        let personas = if step.personas.is_empty() {
            "all".to_owned()
        } else {
            step.personas.join("; ")
        };
        let touchpoints = step
            .touchpoints
            .iter()
            .map(|t| match t.initiator {
                Some(initiator) => format!("{} ({})", t.channel.as_str(), initiator.as_str()),
                None => t.channel.as_str().to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        let pain_points = step
            .pain_points
            .iter()
            .map(|p| format!("{} [severity {}]", p.text, p.severity))
            .collect::<Vec<_>>()
            .join("; ");
        let opportunities = step
            .opportunities
            .iter()
            .map(|o| format!("{} [{}]", o.text, o.status.as_str()))
            .collect::<Vec<_>>()
            .join("; ");
        let kpis = step
            .kpis
            .iter()
            .map(|k| {
                let op = match k.direction() {
                    trailmap_model::Direction::AtLeast => ">=",
                    trailmap_model::Direction::AtMost => "<=",
                };
                match &k.outcome {
                    Some(outcome) => format!("{} {outcome} {op} {}", k.metric.as_str(), k.target),
                    None => format!("{} {op} {}", k.metric.as_str(), k.target),
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        let row = [
            (s.order + 1).to_string(),
            s.stage.id.clone(),
            safe(&s.stage.name),
            step.id.clone(),
            safe(&step.name),
            step.optional.to_string(),
            personas,
            step.department.clone().unwrap_or_default(),
            touchpoints,
            text(&step.customer.does),
            text(&step.customer.goal),
            text(&step.customer.thinks),
            text(&step.customer.feels),
            step.customer
                .emotion
                .map(|e| e.to_string())
                .unwrap_or_default(),
            text(&step.business.frontstage),
            text(&step.business.backstage),
            text(&step.employee.does),
            text(&step.employee.feels),
            text(&step.employee.tools),
            safe(&pain_points),
            step.pain_points
                .iter()
                .map(|p| p.severity)
                .max()
                .map(|m| m.to_string())
                .unwrap_or_default(),
            safe(&opportunities),
            step.moment_of_truth.to_string(),
            kpis,
            step.evidence
                .as_ref()
                .map(|e| e.source.as_str().to_owned())
                .unwrap_or_default(),
            step.evidence
                .as_ref()
                .and_then(|e| e.verified.clone())
                .unwrap_or_default(),
            text(&step.matcher),
        ];
        write_row(&mut writer, row.into_iter());
    }
    let bytes = writer.into_inner().expect("writing to a Vec cannot fail");
    String::from_utf8(bytes).expect("the CSV writer only writes the UTF-8 it was given")
}

fn write_row(writer: &mut ::csv::Writer<Vec<u8>>, row: impl Iterator<Item = String>) {
    writer
        .write_record(row)
        .expect("writing to a Vec cannot fail");
}

/// Neutralises text a spreadsheet would run as a formula.
fn safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe("plain"), "plain");
    }
}
