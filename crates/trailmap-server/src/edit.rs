//! The structured editor's operations: one submitted form changes the [`Map`].
//!
//! Every operation is a pure function of the map and the form's [`Fields`]; the caller writes
//! the result back to YAML (`yaml_write`), checks it with `trailmap-check` like any other text,
//! and saves it as a new version only when it has no errors. So an edit can never store a map
//! the checker would refuse, and broken references (a deleted step still named in `replaces`)
//! come back as the checker's own diagnostics.
//!
//! Operations (`op`): `stage-add`, `stage-edit`, `stage-move`, `stage-delete`, `step-add`,
//! `step-edit`, `step-move`, `step-delete`. Moving a step up from the top of its stage puts it at
//! the end of the stage before; down from the bottom, at the start of the stage after.

use trailmap_model::{
    Channel, Initiator, Map, Opportunity, OpportunityStatus, PainPoint, Stage, Step, Touchpoint,
};

use crate::form::Fields;

/// Why an edit could not be made, for the person who submitted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    /// The form field at fault (or `op`).
    pub field: String,
    /// What is wrong and what to do.
    pub message: String,
}

fn err(field: &str, message: impl Into<String>) -> EditError {
    EditError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// How many empty rows the step form offers for new touchpoints, pain points, opportunities.
pub const SPARE_ROWS: usize = 2;
/// Rows beyond this are ignored: a form never has that many, and it bounds the work.
const MAX_ROWS: usize = 200;

/// Applies the operation named by the form's `op` field to `map`. Returns a short description of
/// the change, used as the version message when the form gives none.
pub fn apply(map: &mut Map, form: &Fields) -> Result<String, EditError> {
    let op = form.get("op").unwrap_or("");
    match op {
        "stage-add" => stage_add(map, form),
        "stage-edit" => stage_edit(map, form),
        "stage-move" => stage_move(map, form),
        "stage-delete" => stage_delete(map, form),
        "step-add" => step_add(map, form),
        "step-edit" => step_edit(map, form),
        "step-move" => step_move(map, form),
        "step-delete" => step_delete(map, form),
        "" => Err(err("op", "the form did not say what to change (no `op`)")),
        other => Err(err(
            "op",
            format!(
                "unknown operation `{other}`; one of stage-add, stage-edit, stage-move, stage-delete, step-add, step-edit, step-move, step-delete"
            ),
        )),
    }
}

fn required(form: &Fields, field: &str, what: &str) -> Result<String, EditError> {
    form.text(field)
        .ok_or_else(|| err(field, format!("{what} is required")))
}

fn stage_index(map: &Map, form: &Fields) -> Result<usize, EditError> {
    let id = required(form, "stage", "the stage")?;
    map.stages.iter().position(|s| s.id == id).ok_or_else(|| {
        err(
            "stage",
            format!("the map has no stage `{id}` (it may have been removed meanwhile)"),
        )
    })
}

fn step_position(map: &Map, form: &Fields) -> Result<(usize, usize), EditError> {
    let id = required(form, "step", "the step")?;
    map.step(&id)
        .map(|s| (s.stage_idx, s.step_idx))
        .ok_or_else(|| {
            err(
                "step",
                format!("the map has no step `{id}` (it may have been removed meanwhile)"),
            )
        })
}

/// An id from the form, or made from the name: lower-case words joined by `-`, made unique
/// among `taken` by a number suffix.
fn new_id(form: &Fields, field: &str, name: &str, taken: &[&str]) -> Result<String, EditError> {
    if let Some(id) = form.text(field) {
        if !is_id(&id) {
            return Err(err(
                field,
                format!(
                    "`{id}` is not a valid id: use lower-case letters, digits, `-` and `_`, starting with a letter or digit"
                ),
            ));
        }
        if taken.contains(&id.as_str()) {
            return Err(err(
                field,
                format!("the id `{id}` is already used in this map"),
            ));
        }
        return Ok(id);
    }
    let mut base: String = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.ends_with('-') && !base.is_empty() {
            base.push('-');
        }
    }
    let base = base
        .trim_end_matches('-')
        .chars()
        .take(40)
        .collect::<String>();
    let base = if base.is_empty() {
        "item".to_owned()
    } else {
        base
    };
    if !taken.contains(&base.as_str()) {
        return Ok(base);
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(&candidate.as_str()))
        .ok_or_else(|| err(field, "could not make a unique id"))
}

fn is_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn all_ids(map: &Map) -> Vec<String> {
    map.stages
        .iter()
        .map(|s| s.id.clone())
        .chain(map.steps().map(|s| s.step.id.clone()))
        .collect()
}

fn blank_step(id: String, name: String) -> Step {
    Step {
        id,
        name,
        description: None,
        matcher: None,
        feedback: None,
        optional: false,
        personas: Vec::new(),
        department: None,
        touchpoints: Vec::new(),
        customer: Default::default(),
        business: Default::default(),
        employee: Default::default(),
        pain_points: Vec::new(),
        opportunities: Vec::new(),
        moment_of_truth: false,
        kpis: Vec::new(),
        evidence: None,
        replaces: Vec::new(),
    }
}

fn stage_add(map: &mut Map, form: &Fields) -> Result<String, EditError> {
    let name = required(form, "name", "the stage's name")?;
    let step_name = required(form, "step_name", "the name of the stage's first step")?;
    let ids = all_ids(map);
    let taken: Vec<&str> = ids.iter().map(String::as_str).collect();
    let id = new_id(form, "id", &name, &taken)?;
    let mut taken = taken;
    taken.push(&id);
    let step_id = new_id(form, "step_id", &step_name, &taken)?;
    let at = match form.text("after") {
        Some(after) => {
            map.stages
                .iter()
                .position(|s| s.id == after)
                .ok_or_else(|| err("after", format!("the map has no stage `{after}`")))?
                + 1
        }
        None => map.stages.len(),
    };
    let summary = format!("Added stage {name}");
    map.stages.insert(
        at,
        Stage {
            id,
            name,
            description: form.text("description"),
            steps: vec![blank_step(step_id, step_name)],
        },
    );
    Ok(summary)
}

fn stage_edit(map: &mut Map, form: &Fields) -> Result<String, EditError> {
    let at = stage_index(map, form)?;
    let stage = &mut map.stages[at];
    if form.has("name") {
        stage.name = required(form, "name", "the stage's name")?;
    }
    if form.has("description") {
        stage.description = form.text("description");
    }
    Ok(format!("Edited stage {}", stage.name))
}

fn direction(form: &Fields) -> Result<bool, EditError> {
    match form.get("direction") {
        Some("up") => Ok(true),
        Some("down") => Ok(false),
        _ => Err(err("direction", "direction must be `up` or `down`")),
    }
}

fn stage_move(map: &mut Map, form: &Fields) -> Result<String, EditError> {
    let at = stage_index(map, form)?;
    let up = direction(form)?;
    let to = if up {
        at.checked_sub(1)
            .ok_or_else(|| err("direction", "the stage is already first"))?
    } else if at + 1 < map.stages.len() {
        at + 1
    } else {
        return Err(err("direction", "the stage is already last"));
    };
    map.stages.swap(at, to);
    Ok(format!(
        "Moved stage {} {}",
        map.stages[to].name,
        if up { "left" } else { "right" }
    ))
}

fn stage_delete(map: &mut Map, form: &Fields) -> Result<String, EditError> {
    let at = stage_index(map, form)?;
    if map.stages.len() == 1 {
        return Err(err(
            "stage",
            "a map needs at least one stage: add another stage before deleting this one",
        ));
    }
    let stage = map.stages.remove(at);
    Ok(format!("Deleted stage {}", stage.name))
}

fn step_add(map: &mut Map, form: &Fields) -> Result<String, EditError> {
    let at = stage_index(map, form)?;
    let name = required(form, "name", "the step's name")?;
    let ids = all_ids(map);
    let taken: Vec<&str> = ids.iter().map(String::as_str).collect();
    let id = new_id(form, "id", &name, &taken)?;
    let stage = &mut map.stages[at];
    let position = match form.text("after") {
        Some(after) => {
            stage
                .steps
                .iter()
                .position(|s| s.id == after)
                .ok_or_else(|| {
                    err(
                        "after",
                        format!("stage `{}` has no step `{after}`", stage.id),
                    )
                })?
                + 1
        }
        None => stage.steps.len(),
    };
    let mut step = blank_step(id, name.clone());
    step.description = form.text("description");
    stage.steps.insert(position, step);
    Ok(format!("Added step {name}"))
}

fn step_move(map: &mut Map, form: &Fields) -> Result<String, EditError> {
    let (si, ti) = step_position(map, form)?;
    let up = direction(form)?;
    let n_steps = map.stages[si].steps.len();
    let name = map.stages[si].steps[ti].name.clone();
    if up && ti > 0 {
        map.stages[si].steps.swap(ti, ti - 1);
    } else if !up && ti + 1 < n_steps {
        map.stages[si].steps.swap(ti, ti + 1);
    } else {
        // Across a stage boundary.
        let target = if up { si.checked_sub(1) } else { Some(si + 1) }
            .filter(|&t| t < map.stages.len())
            .ok_or_else(|| {
                err(
                    "direction",
                    if up {
                        "the step is already the first of the map"
                    } else {
                        "the step is already the last of the map"
                    },
                )
            })?;
        if n_steps == 1 {
            return Err(err(
                "step",
                format!(
                    "`{name}` is the only step of stage `{}`, and a stage needs at least one step: add another step there first",
                    map.stages[si].name
                ),
            ));
        }
        let step = map.stages[si].steps.remove(ti);
        if up {
            map.stages[target].steps.push(step);
        } else {
            map.stages[target].steps.insert(0, step);
        }
        return Ok(format!(
            "Moved step {name} to stage {}",
            map.stages[target].name
        ));
    }
    Ok(format!(
        "Moved step {name} {}",
        if up { "up" } else { "down" }
    ))
}

fn step_delete(map: &mut Map, form: &Fields) -> Result<String, EditError> {
    let (si, ti) = step_position(map, form)?;
    if map.stages[si].steps.len() == 1 {
        return Err(err(
            "step",
            format!(
                "this is the only step of stage `{}`, and a stage needs at least one: delete the stage instead, or add another step first",
                map.stages[si].name
            ),
        ));
    }
    let step = map.stages[si].steps.remove(ti);
    Ok(format!("Deleted step {}", step.name))
}

fn step_edit(map: &mut Map, form: &Fields) -> Result<String, EditError> {
    let (si, ti) = step_position(map, form)?;
    let step = &mut map.stages[si].steps[ti];
    if form.has("name") {
        step.name = required(form, "name", "the step's name")?;
    }
    let text_fields: [(&str, &mut Option<String>); 11] = [
        ("description", &mut step.description),
        ("does", &mut step.customer.does),
        ("goal", &mut step.customer.goal),
        ("thinks", &mut step.customer.thinks),
        ("feels", &mut step.customer.feels),
        ("frontstage", &mut step.business.frontstage),
        ("backstage", &mut step.business.backstage),
        ("employee_does", &mut step.employee.does),
        ("employee_feels", &mut step.employee.feels),
        ("employee_tools", &mut step.employee.tools),
        ("department", &mut step.department),
    ];
    for (field, slot) in text_fields {
        if form.has(field) {
            *slot = form.text(field);
        }
    }
    if form.has("emotion") {
        step.customer.emotion = match form.text("emotion") {
            None => None,
            Some(text) => match text.parse::<i8>() {
                Ok(v) if (-2..=2).contains(&v) => Some(v),
                _ => {
                    return Err(err(
                        "emotion",
                        format!("emotion must be a whole number from -2 to 2, not `{text}`"),
                    ));
                }
            },
        };
    }
    // The form always sends the hidden `lanes` marker, so an unticked box means "not a moment
    // of truth" rather than "not on this form".
    if form.has("lanes") {
        step.moment_of_truth = form.checked("moment_of_truth");
    }
    if form.has("tp_channel_0") {
        step.touchpoints = touchpoints(form, &step.touchpoints)?;
    }
    if form.has("pp_text_0") {
        step.pain_points = pain_points(form, &step.pain_points)?;
    }
    if form.has("op_text_0") {
        step.opportunities = opportunities(form)?;
    }
    Ok(format!("Edited step {}", step.name))
}

fn rows(form: &Fields, first_field: &str) -> usize {
    (0..MAX_ROWS)
        .take_while(|i| form.has(&format!("{first_field}_{i}")))
        .count()
}

fn touchpoints(form: &Fields, old: &[Touchpoint]) -> Result<Vec<Touchpoint>, EditError> {
    let mut out = Vec::new();
    for i in 0..rows(form, "tp_channel") {
        let channel_field = format!("tp_channel_{i}");
        let Some(channel) = form.text(&channel_field) else {
            continue;
        };
        let channel = Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == channel)
            .ok_or_else(|| err(&channel_field, format!("unknown channel `{channel}`")))?;
        let initiator_field = format!("tp_initiator_{i}");
        let initiator = match form.text(&initiator_field).as_deref() {
            None => None,
            Some("customer") => Some(Initiator::Customer),
            Some("company") => Some(Initiator::Company),
            Some(other) => {
                return Err(err(
                    &initiator_field,
                    format!("initiator must be customer or company, not `{other}`"),
                ));
            }
        };
        let department_field = format!("tp_department_{i}");
        let department = if form.has(&department_field) {
            form.text(&department_field)
        } else {
            old.get(i).and_then(|t| t.department.clone())
        };
        out.push(Touchpoint {
            channel,
            initiator,
            name: form.text(&format!("tp_name_{i}")),
            department,
        });
    }
    Ok(out)
}

fn pain_points(form: &Fields, old: &[PainPoint]) -> Result<Vec<PainPoint>, EditError> {
    let mut out = Vec::new();
    for i in 0..rows(form, "pp_text") {
        let Some(text) = form.text(&format!("pp_text_{i}")) else {
            continue;
        };
        let severity_field = format!("pp_severity_{i}");
        let severity = match form.text(&severity_field) {
            None => 3,
            Some(s) => match s.parse::<u8>() {
                Ok(v) if (1..=5).contains(&v) => v,
                _ => {
                    return Err(err(
                        &severity_field,
                        format!("severity must be a whole number from 1 to 5, not `{s}`"),
                    ));
                }
            },
        };
        // The form does not edit a pain point's evidence; the row at the same place keeps it.
        let evidence = old
            .get(i)
            .filter(|p| p.text == text)
            .and_then(|p| p.evidence.clone());
        out.push(PainPoint {
            text,
            severity,
            persona: form.text(&format!("pp_persona_{i}")),
            evidence,
        });
    }
    Ok(out)
}

fn opportunities(form: &Fields) -> Result<Vec<Opportunity>, EditError> {
    let mut out = Vec::new();
    for i in 0..rows(form, "op_text") {
        let Some(text) = form.text(&format!("op_text_{i}")) else {
            continue;
        };
        let status_field = format!("op_status_{i}");
        let status = match form.text(&status_field).as_deref() {
            None | Some("idea") => OpportunityStatus::Idea,
            Some("planned") => OpportunityStatus::Planned,
            Some("doing") => OpportunityStatus::Doing,
            Some("done") => OpportunityStatus::Done,
            Some(other) => {
                return Err(err(
                    &status_field,
                    format!("status must be idea, planned, doing or done, not `{other}`"),
                ));
            }
        };
        out.push(Opportunity {
            text,
            owner: form.text(&format!("op_owner_{i}")),
            status,
        });
    }
    Ok(out)
}

/// Reads one editable part of a stage as text, to compare versions.
type StagePart = fn(&Stage) -> String;

/// A structured edit to apply again after a conflict: only what its author changed.
#[derive(Debug, Clone)]
pub struct Replay {
    /// The form to submit again (with the new base added by the caller).
    pub fields: Fields,
    /// Fields both people changed, differently: reapplying sets them to this author's value.
    pub overlaps: Vec<&'static str>,
}

/// The form fields of an edit form that stand for each part of a step or stage, so a replay
/// keeps only the parts the author changed.
const STEP_TEXT_FIELDS: [&str; 12] = [
    "name",
    "description",
    "does",
    "goal",
    "thinks",
    "feels",
    "frontstage",
    "backstage",
    "employee_does",
    "employee_feels",
    "employee_tools",
    "department",
];

fn step_part(step: &Step, field: &str) -> String {
    match field {
        "name" => step.name.clone(),
        "description" => step.description.clone().unwrap_or_default(),
        "does" => step.customer.does.clone().unwrap_or_default(),
        "goal" => step.customer.goal.clone().unwrap_or_default(),
        "thinks" => step.customer.thinks.clone().unwrap_or_default(),
        "feels" => step.customer.feels.clone().unwrap_or_default(),
        "frontstage" => step.business.frontstage.clone().unwrap_or_default(),
        "backstage" => step.business.backstage.clone().unwrap_or_default(),
        "employee_does" => step.employee.does.clone().unwrap_or_default(),
        "employee_feels" => step.employee.feels.clone().unwrap_or_default(),
        "employee_tools" => step.employee.tools.clone().unwrap_or_default(),
        "department" => step.department.clone().unwrap_or_default(),
        "emotion" => format!("{:?}", step.customer.emotion),
        "moment_of_truth" => step.moment_of_truth.to_string(),
        "tp" => format!("{:?}", step.touchpoints),
        "pp" => format!("{:?}", step.pain_points),
        "op" => format!("{:?}", step.opportunities),
        _ => String::new(),
    }
}

/// Works out what a refused edit changed relative to the version it was based on, and builds
/// the form that applies just that to the latest version. Moves, additions and deletions name
/// their stage or step by id and replay as they are; a step or stage edit keeps only the fields
/// whose value the author changed, so a field someone else changed meanwhile keeps their value
/// unless both changed it (then it is listed in [`Replay::overlaps`]).
pub fn replay(base: &Map, latest: &Map, form: &Fields) -> Replay {
    let op = form.get("op").unwrap_or("");
    let keep_all = Replay {
        fields: Fields(form.without(&["base", "_csrf"]).cloned().collect()),
        overlaps: Vec::new(),
    };
    match op {
        "step-edit" => {
            let Some(id) = form.get("step") else {
                return keep_all;
            };
            let mut edited = base.clone();
            if apply(&mut edited, form).is_err() {
                return keep_all;
            }
            let (Some(before), Some(after), Some(now)) =
                (base.step(id), edited.step(id), latest.step(id))
            else {
                return keep_all;
            };
            let (before, after, now) = (before.step, after.step, now.step);
            let mut fields = vec![
                ("op".to_owned(), "step-edit".to_owned()),
                ("step".to_owned(), id.to_owned()),
            ];
            let mut overlaps = Vec::new();
            let mut changed = |part: &'static str| {
                let mine = step_part(after, part);
                let theirs = step_part(now, part);
                let was = step_part(before, part);
                if mine == was {
                    return false;
                }
                if theirs != was && theirs != mine {
                    overlaps.push(part);
                }
                true
            };
            for field in STEP_TEXT_FIELDS {
                if changed(field) {
                    fields.push((field.to_owned(), form.get(field).unwrap_or("").to_owned()));
                }
            }
            if changed("emotion") {
                fields.push((
                    "emotion".to_owned(),
                    form.get("emotion").unwrap_or("").to_owned(),
                ));
            }
            if changed("moment_of_truth") {
                fields.push(("lanes".to_owned(), "1".to_owned()));
                if after.moment_of_truth {
                    fields.push(("moment_of_truth".to_owned(), "on".to_owned()));
                }
            }
            for (part, prefix) in [("tp", "tp_"), ("pp", "pp_"), ("op", "op_")] {
                if changed(part) {
                    fields.extend(
                        form.0
                            .iter()
                            .filter(|(k, _)| k.starts_with(prefix))
                            .cloned(),
                    );
                }
            }
            if let Some(message) = form.get("message") {
                fields.push(("message".to_owned(), message.to_owned()));
            }
            Replay {
                fields: Fields(fields),
                overlaps,
            }
        }
        "stage-edit" => {
            let stage_of = |m: &Map| {
                form.get("stage")
                    .and_then(|id| m.stages.iter().find(|s| s.id == id).cloned())
            };
            let mut edited = base.clone();
            if apply(&mut edited, form).is_err() {
                return keep_all;
            }
            let (Some(before), Some(after), Some(now)) =
                (stage_of(base), stage_of(&edited), stage_of(latest))
            else {
                return keep_all;
            };
            let mut fields = vec![
                ("op".to_owned(), "stage-edit".to_owned()),
                ("stage".to_owned(), before.id.clone()),
            ];
            let mut overlaps = Vec::new();
            let parts: [(&'static str, StagePart); 2] = [
                ("name", |s| s.name.clone()),
                ("description", |s| s.description.clone().unwrap_or_default()),
            ];
            for (field, get) in parts {
                let (was, mine, theirs) = (get(&before), get(&after), get(&now));
                if mine != was {
                    if theirs != was && theirs != mine {
                        overlaps.push(field);
                    }
                    fields.push((field.to_owned(), form.get(field).unwrap_or("").to_owned()));
                }
            }
            Replay {
                fields: Fields(fields),
                overlaps,
            }
        }
        _ => keep_all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Map {
        let text = include_str!("../../../examples/online-retail-purchase.yaml");
        trailmap_check::parse(text)
            .map
            .expect("the example is valid")
    }

    fn form(pairs: &[(&str, &str)]) -> Fields {
        Fields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn step_ids(map: &Map) -> Vec<String> {
        map.steps().map(|s| s.step.id.clone()).collect()
    }

    /// The edited map still passes the checker once written back to YAML.
    fn assert_valid(map: &Map) {
        let yaml = crate::yaml_write::map_to_yaml(map, "");
        let checked = trailmap_check::parse(&yaml);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    }

    #[test]
    fn moves_a_step_within_and_across_stages() {
        let mut map = example();
        let before = step_ids(&map);
        let second = before[1].clone();
        apply(
            &mut map,
            &form(&[("op", "step-move"), ("step", &second), ("direction", "up")]),
        )
        .unwrap();
        let after = step_ids(&map);
        assert_eq!(after[0], before[1]);
        assert_eq!(after[1], before[0]);
        // The last step of stage 0 moving down becomes the first of stage 1.
        let last_of_first = map.stages[0].steps.last().unwrap().id.clone();
        if map.stages[0].steps.len() > 1 {
            apply(
                &mut map,
                &form(&[
                    ("op", "step-move"),
                    ("step", &last_of_first),
                    ("direction", "down"),
                ]),
            )
            .unwrap();
            assert_eq!(map.stages[1].steps[0].id, last_of_first);
        }
        assert_valid(&map);
        let first = step_ids(&map)[0].clone();
        let e = apply(
            &mut map,
            &form(&[("op", "step-move"), ("step", &first), ("direction", "up")]),
        )
        .unwrap_err();
        assert_eq!(e.field, "direction");
    }

    #[test]
    fn edits_every_lane_of_a_step() {
        let mut map = example();
        let id = map.stages[0].steps[0].id.clone();
        let f = form(&[
            ("op", "step-edit"),
            ("step", &id),
            ("lanes", "1"),
            ("name", "Sees the <b>ad</b>"),
            ("does", "Scrolls"),
            ("emotion", "-2"),
            ("moment_of_truth", "on"),
            ("tp_channel_0", "email"),
            ("tp_name_0", "Newsletter"),
            ("tp_initiator_0", "company"),
            ("tp_channel_1", ""),
            ("pp_text_0", "Too slow"),
            ("pp_severity_0", "4"),
            ("pp_text_1", ""),
            ("op_text_0", "Faster page"),
            ("op_status_0", "planned"),
            ("op_owner_0", "web team"),
        ]);
        apply(&mut map, &f).unwrap();
        let step = &map.stages[0].steps[0];
        assert_eq!(step.name, "Sees the <b>ad</b>");
        assert_eq!(step.customer.does.as_deref(), Some("Scrolls"));
        assert_eq!(step.customer.emotion, Some(-2));
        assert!(step.moment_of_truth);
        assert_eq!(step.touchpoints.len(), 1);
        assert_eq!(step.touchpoints[0].channel, Channel::Email);
        assert_eq!(step.pain_points.len(), 1);
        assert_eq!(step.pain_points[0].severity, 4);
        assert_eq!(step.opportunities[0].status, OpportunityStatus::Planned);
        assert_valid(&map);
    }

    #[test]
    fn bad_values_name_their_field() {
        let mut map = example();
        let id = map.stages[0].steps[0].id.clone();
        for (field, value) in [
            ("emotion", "3"),
            ("pp_severity_0", "9"),
            ("tp_channel_0", "pigeon"),
            ("op_status_0", "someday"),
        ] {
            let mut pairs = vec![("op", "step-edit"), ("step", id.as_str()), (field, value)];
            if field.starts_with("pp_") {
                pairs.push(("pp_text_0", "x"));
            }
            if field.starts_with("op_") {
                pairs.push(("op_text_0", "x"));
            }
            let e = apply(&mut map, &form(&pairs)).unwrap_err();
            assert_eq!(e.field, field, "{e:?}");
        }
    }

    #[test]
    fn adds_and_deletes_stages_and_steps() {
        let mut map = example();
        let n = map.stages.len();
        let first = map.stages[0].id.clone();
        apply(
            &mut map,
            &form(&[
                ("op", "stage-add"),
                ("name", "Loyalty"),
                ("step_name", "Joins club"),
                ("after", &first),
            ]),
        )
        .unwrap();
        assert_eq!(map.stages.len(), n + 1);
        assert_eq!(map.stages[1].id, "loyalty");
        assert_eq!(map.stages[1].steps[0].id, "joins-club");
        apply(
            &mut map,
            &form(&[
                ("op", "step-add"),
                ("stage", "loyalty"),
                ("name", "Joins club"),
            ]),
        )
        .unwrap();
        assert_eq!(map.stages[1].steps[1].id, "joins-club-2");
        assert_valid(&map);
        apply(
            &mut map,
            &form(&[("op", "step-delete"), ("step", "joins-club-2")]),
        )
        .unwrap();
        let e = apply(
            &mut map,
            &form(&[("op", "step-delete"), ("step", "joins-club")]),
        )
        .unwrap_err();
        assert_eq!(e.field, "step");
        apply(
            &mut map,
            &form(&[("op", "stage-delete"), ("stage", "loyalty")]),
        )
        .unwrap();
        assert_eq!(map.stages.len(), n);
        let e = apply(
            &mut map,
            &form(&[
                ("op", "stage-add"),
                ("name", "X"),
                ("step_name", "Y"),
                ("id", "Bad Id"),
            ]),
        )
        .unwrap_err();
        assert_eq!(e.field, "id");
    }

    #[test]
    fn moves_stages() {
        let mut map = example();
        let ids: Vec<String> = map.stages.iter().map(|s| s.id.clone()).collect();
        apply(
            &mut map,
            &form(&[
                ("op", "stage-move"),
                ("stage", &ids[1]),
                ("direction", "up"),
            ]),
        )
        .unwrap();
        assert_eq!(map.stages[0].id, ids[1]);
        let e = apply(
            &mut map,
            &form(&[
                ("op", "stage-move"),
                ("stage", &ids[1]),
                ("direction", "up"),
            ]),
        )
        .unwrap_err();
        assert_eq!(e.field, "direction");
    }

    #[test]
    fn a_replayed_step_edit_keeps_only_what_its_author_changed() {
        let base = example();
        let id = base.stages[0].steps[0].id.clone();
        let step = &base.stages[0].steps[0];
        // Someone else changed "does" meanwhile.
        let mut latest = base.clone();
        latest.stages[0].steps[0].customer.does = Some("Their does".to_owned());
        // This author's form resubmits every field, changing only "thinks".
        let mine = form(&[
            ("op", "step-edit"),
            ("step", &id),
            ("lanes", "1"),
            ("name", &step.name),
            ("does", step.customer.does.as_deref().unwrap_or("")),
            ("thinks", "My thought"),
            (
                "emotion",
                &step
                    .customer
                    .emotion
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
            ),
        ]);
        let r = replay(&base, &latest, &mine);
        assert_eq!(r.fields.get("thinks"), Some("My thought"));
        assert_eq!(
            r.fields.get("does"),
            None,
            "an unchanged field is not replayed"
        );
        assert_eq!(r.fields.get("lanes"), None);
        assert!(r.overlaps.is_empty());
        let mut merged = latest.clone();
        apply(&mut merged, &r.fields).unwrap();
        assert_eq!(
            merged.stages[0].steps[0].customer.does.as_deref(),
            Some("Their does")
        );
        assert_eq!(
            merged.stages[0].steps[0].customer.thinks.as_deref(),
            Some("My thought")
        );
        // Both changed "does": it is replayed and reported.
        let both = form(&[("op", "step-edit"), ("step", &id), ("does", "My does")]);
        let r = replay(&base, &latest, &both);
        assert_eq!(r.fields.get("does"), Some("My does"));
        assert_eq!(r.overlaps, ["does"]);
    }
}
