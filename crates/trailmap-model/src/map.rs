//! The whole document: one journey per file.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{DataConfig, Department, Journey, LintConfig, Persona, Stage, Step};

/// The format version this crate reads and writes (`trailmap: 1`).
pub const FORMAT_VERSION: u32 = 1;

/// A Trailmap journey map, format v1: one journey, its personas, departments, stages and steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Trailmap journey map (format v1)")]
pub struct Map {
    /// Format version of this file. Always `1` for this format.
    #[schemars(range(min = 1, max = 1))]
    pub trailmap: u32,
    /// What is being mapped: the journey's name, kind, state, owner and objectives.
    pub journey: Journey,
    /// The customer segments who take this journey. A step lists the personas who take it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<Persona>,
    /// The departments that own steps and touchpoints (marketing, sales, support, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<Department>,
    /// The journey's stages (phases), in order: the map's columns. Each holds its steps.
    #[schemars(length(min = 1))]
    pub stages: Vec<Stage>,
    /// Named outcomes, each a SQL boolean expression over event columns, e.g.
    /// `churn: "event = 'subscription_cancelled'"`. `churn`, `renewal` and `cross_sell` are usual.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outcomes: BTreeMap<String, String>,
    /// Defaults for evidence runs: column names, time zone, windows.
    #[serde(default, skip_serializing_if = "DataConfig::is_empty")]
    pub data: DataConfig,
    /// Settings for `trailmap check`'s lint rules in this file.
    #[serde(default, skip_serializing_if = "LintConfig::is_empty")]
    pub lint: LintConfig,
}

/// A step together with where it sits in the map.
#[derive(Debug, Clone, Copy)]
pub struct StepRef<'a> {
    /// Index of the stage in [`Map::stages`].
    pub stage_idx: usize,
    /// Index of the step within its stage.
    pub step_idx: usize,
    /// Position of the step in map order (stage order, then step order).
    pub order: usize,
    pub stage: &'a Stage,
    pub step: &'a Step,
}

impl Map {
    /// Every step in map order: stage order, then step order within the stage.
    pub fn steps(&self) -> impl Iterator<Item = StepRef<'_>> {
        self.stages
            .iter()
            .enumerate()
            .flat_map(|(stage_idx, stage)| {
                stage
                    .steps
                    .iter()
                    .enumerate()
                    .map(move |(step_idx, step)| (stage_idx, stage, step_idx, step))
            })
            .enumerate()
            .map(|(order, (stage_idx, stage, step_idx, step))| StepRef {
                stage_idx,
                step_idx,
                order,
                stage,
                step,
            })
    }

    /// The step with this id, if any.
    pub fn step(&self, id: &str) -> Option<StepRef<'_>> {
        self.steps().find(|s| s.step.id == id)
    }

    /// The persona with this id, if any.
    pub fn persona(&self, id: &str) -> Option<&Persona> {
        self.personas.iter().find(|p| p.id == id)
    }

    /// The department with this id, if any.
    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    /// The personas who take `step`: those it lists, or every persona when it lists none.
    pub fn personas_of<'a>(&'a self, step: &'a Step) -> impl Iterator<Item = &'a Persona> + 'a {
        self.personas
            .iter()
            .filter(move |p| step.personas.is_empty() || step.personas.contains(&p.id))
    }
}
