//! The commands, one module per group, and the one dispatcher. Its `match` names every command, so a command
//! that is not wired fails to compile.

pub mod ask;
pub mod consultations;
pub mod corrections;
pub mod documents;
pub mod docx;
pub mod import;
pub mod log;
pub mod proposals;
pub mod register;
pub mod search;
pub mod serve;
pub mod texts;
pub mod versions;

use crate::cli::{
    Cli, Command, ConsultationCommand, DocCommand, KeyCommand, ModCommand, RegisterCommand, VersionsCommand,
};
use crate::env::Env;
use crate::failure::Failure;

/// Runs one command.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let env = Env::resolve(&cli)?;
    let result = dispatch(&env, cli.command).await;
    env.close().await;
    result
}

async fn dispatch(env: &Env, command: Command) -> Result<(), Failure> {
    match command {
        Command::Versions { action: None } => ask::versions(env).await,
        Command::Versions { action: Some(VersionsCommand::Add(args)) } => versions::add(env, &args).await,
        Command::Versions { action: Some(VersionsCommand::Update(args)) } => versions::update(env, &args).await,
        Command::At(args) => ask::at(env, &args).await,
        Command::Status(args) => ask::status(env, &args).await,
        Command::History(args) => ask::history(env, &args).await,
        Command::Timeline(args) => ask::timeline(env, &args).await,
        Command::Consultations => ask::consultations(env).await,
        Command::Codes => ask::codes(env).await,
        Command::Publications => ask::publications(env).await,
        Command::Audit(args) => ask::audit(env, &args).await,
        Command::Serve(args) => serve::serve(env, args).await,
        Command::ExportSite(args) => serve::export_site(env, &args).await,
        Command::Import(args) => import::import_folder(env, &args).await,
        Command::ImportVersion(args) => import::import_version(env, &args).await,
        Command::ImportDocx(args) => docx::import_docx(env, &args).await,
        Command::DocxChanges(args) => docx::changes(env, &args),
        Command::Check => texts::check(env).await,
        Command::Verify(args) => log::verify(env, &args).await,
        Command::Key { action: KeyCommand::Generate(args) } => log::generate_key(env, &args),
        Command::Show(args) => texts::show(env, &args).await,
        Command::Search(args) => search::search(env, &args).await,
        Command::Reindex => search::reindex(env).await,
        Command::Export(args) => texts::export(env, &args).await,
        Command::Diff(args) => texts::diff(env, &args).await,
        Command::Blame(args) => texts::blame(env, &args).await,
        Command::Copy(args) => register::copy(env, &args).await,
        Command::Mod { action: ModCommand::New(args) } => proposals::raise(env, &args).await,
        Command::Mod { action: ModCommand::Advance(args) } => proposals::advance(env, &args).await,
        Command::Mod { action: ModCommand::Update(args) } => proposals::update(env, &args).await,
        Command::Mod { action: ModCommand::Show(args) } => proposals::show(env, &args).await,
        Command::Mod { action: ModCommand::List(args) } => proposals::list(env, &args).await,
        Command::Planned => proposals::planned(env).await,
        Command::Consultation { action: ConsultationCommand::Add(args) } => consultations::add(env, &args).await,
        Command::Consultation { action: ConsultationCommand::Show(args) } => consultations::show(env, &args).await,
        Command::Consultation { action: ConsultationCommand::Update(args) } => consultations::update(env, &args).await,
        Command::Doc { action: DocCommand::Add(args) } => documents::add(env, &args).await,
        Command::Doc { action: DocCommand::List(args) } => documents::list(env, &args).await,
        Command::Doc { action: DocCommand::Get(args) } => documents::get(env, &args).await,
        Command::Doc { action: DocCommand::Attach(args) } => documents::attach(env, &args).await,
        Command::Doc { action: DocCommand::Detach(args) } => documents::detach(env, &args).await,
        Command::Register { action: RegisterCommand::Import(args) } => register::import(env, &args).await,
        Command::Register { action: RegisterCommand::Export(args) } => register::export(env, &args).await,
        Command::Register { action: RegisterCommand::UpgradeBuiltin(args) } => {
            register::upgrade_builtin(env, &args).await
        }
    }
}
