//! `trailmap new --template KIND FILE`: a complete, valid starter map.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use trailmap_model::templates::Template;

#[derive(Debug, clap::Args)]
pub(crate) struct NewArgs {
    /// The kind of journey to start from.
    #[arg(long, short, value_enum, default_value_t = TemplateArg::Purchase)]
    template: TemplateArg,
    /// The file to write. An existing file is never overwritten unless --force is given.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Overwrite FILE if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TemplateArg {
    /// Pre-purchase, purchase and post-purchase, with three personas and their channels.
    Purchase,
    /// First-time and repeat contact across phone, chat, email and social.
    Support,
    /// Onboarding, adoption, renewal and expansion, with churn and cross-sell outcomes.
    Success,
    /// From sign-up to first value.
    Onboarding,
}

impl TemplateArg {
    fn template(self) -> Template {
        match self {
            TemplateArg::Purchase => Template::Purchase,
            TemplateArg::Support => Template::Support,
            TemplateArg::Success => Template::Success,
            TemplateArg::Onboarding => Template::Onboarding,
        }
    }
}

pub(crate) fn run(args: &NewArgs) -> anyhow::Result<ExitCode> {
    let source = args.template.template().source();
    let path = &args.file;
    if args.force {
        crate::output::write_atomic(path, source.as_bytes())?;
    } else {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .with_context(|| match path.exists() {
                true => format!(
                    "`{}` already exists; pass --force to overwrite it",
                    path.display()
                ),
                false => format!("cannot create `{}`", path.display()),
            })?;
        file.write_all(source.as_bytes())
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    eprintln!(
        "wrote {} ({} template); next: edit it, then `trailmap check {}`",
        path.display(),
        args.template.template().name(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
