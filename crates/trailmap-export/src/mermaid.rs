//! A Mermaid `journey` diagram: one section per stage, one task per step, scored by emotion.
//!
//! Mermaid scores run 1..5 and the map's emotion -2..2, so a task's score is `emotion + 3`
//! (a step without an emotion scores a neutral 3). Actors are the names of the personas who
//! take the step. Mermaid's journey syntax gives `:` and `#` and line breaks a meaning, so they
//! are replaced in texts.

use std::fmt::Write;

use trailmap_model::Map;

pub fn to_mermaid(map: &Map) -> String {
    let mut out = String::from("journey\n");
    let _ = writeln!(out, "  title {}", clean(&map.journey.name));
    for stage in &map.stages {
        let _ = writeln!(out, "  section {}", clean(&stage.name));
        for step in &stage.steps {
            let score = step.customer.emotion.map_or(3, |e| i16::from(e) + 3);
            let actors = map
                .personas_of(step)
                .map(|p| clean(&p.name.replace(',', " ")))
                .collect::<Vec<_>>()
                .join(", ");
            if actors.is_empty() {
                let _ = writeln!(out, "    {}: {score}", clean(&step.name));
            } else {
                let _ = writeln!(out, "    {}: {score}: {actors}", clean(&step.name));
            }
        }
    }
    out
}

fn clean(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            ':' | '#' | ';' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.is_empty() {
        "-".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_cannot_break_the_syntax() {
        assert_eq!(clean("a: b\n  section evil"), "a b section evil");
        assert_eq!(clean("  "), "-");
    }
}
