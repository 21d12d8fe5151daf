//! Writes that correct records (`versions update`, `consultation update`, `mod update`, `doc attach`/`detach`):
//! each is one checked publication, and one that replaces or takes away a recorded value
//! (`inforce_core::correction`) is refused unless it says why (`--reason`), which the publication records inside
//! its digest.

use inforce_core::Register;
use inforce_store::{PublishOutcome, publish_edit};

use crate::cli::Reason;
use crate::commands::proposals::checked;
use crate::env::Env;
use crate::failure::Failure;

/// What an edit makes of the register: the register after it, the fields of the edited record it corrects
/// (empty for a first recording), and how to name that record in a sentence ("version 4.2").
pub(crate) struct Edited {
    pub register: Register,
    pub corrected: Vec<&'static str>,
    pub what: String,
}

/// Applies `edit` to the code's register and publishes the result as one publication from `origin`, with the
/// reason given. Refused with exit 2, nothing stored, when the register would break a rule or when the edit
/// corrects a recorded value without a reason.
pub(crate) async fn publish_correction(
    env: &Env,
    origin: &str,
    reason: &Reason,
    edit: impl Fn(&Register) -> Result<Edited, Failure>,
) -> Result<(PublishOutcome, Register), Failure> {
    let reason = reason.reason()?;
    let provenance = inforce_store::Provenance { reason: reason.clone(), ..env.provenance(origin)? };
    let code = &env.code;
    let store = env.store().await?.as_ref();
    publish_edit(store, code, &provenance, &[], |current| {
        let current = current.ok_or_else(|| Failure::NotFound(format!("no register for code '{code}'")))?;
        let edited = edit(current)?;
        if !edited.corrected.is_empty() && reason.is_none() {
            return Err(Failure::Usage(format!(
                "this corrects what is recorded about {} ({}): say why with --reason TEXT; nothing was stored",
                edited.what,
                edited.corrected.join(", ")
            )));
        }
        checked(edited.register)
    })
    .await
}

/// Text given on the command line for an optional field: `""` clears it.
pub(crate) fn optional_text(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// A list given on the command line: its items trimmed, empty ones dropped (`--note ""` gives none).
pub(crate) fn list(values: &[String]) -> Vec<String> {
    values.iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect()
}
