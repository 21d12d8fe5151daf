//! The publication log: `inforce verify` checks the stored history against its digests (and, with `--remote`,
//! a running site as an outsider would).

use std::fmt::Write as _;

use inforce_present::wire::{VerifiedJson, VerifyJson};
use inforce_store::{Verdict, verify as verify_code};

use crate::cli::VerifyArgs;
use crate::env::Env;
use crate::failure::Failure;

/// `inforce verify [--code C]`: every code (or the one named) recomputed from the store; exit 4 naming the first
/// publication of each code that does not match its log.
pub async fn verify(env: &Env, args: &VerifyArgs) -> Result<(), Failure> {
    let _ = args;
    let store = env.store().await?.as_ref();
    let codes = if env.code_given { vec![env.code.clone()] } else { store.codes().await? };
    let mut verdicts = Vec::new();
    for code in &codes {
        verdicts.push(verify_code(store, code).await?);
    }
    if env.code_given && store.publications(&env.code).await?.is_empty() && store.log(&env.code).await?.is_empty() {
        return Err(Failure::NotFound(format!("no publications for code '{}'", env.code)));
    }
    let json = VerifyJson { codes: verdicts.iter().map(verified_json).collect() };
    env.out.print(&json, || verdicts.iter().map(describe).collect::<Vec<_>>().join("\n"))?;
    // The details are printed above; the failure names the codes.
    let tampered: Vec<String> = verdicts
        .iter()
        .filter_map(|v| match v {
            Verdict::Tampered(t) => Some(format!("'{}' from publication {}", t.code, t.publication)),
            Verdict::Intact(_) => None,
        })
        .collect();
    if tampered.is_empty() {
        Ok(())
    } else {
        Err(Failure::Damaged(format!("the stored history does not match its publication log: {}", tampered.join(", "))))
    }
}

/// The log's verdict on one code, in a line or two.
pub fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Intact(v) => {
            let mut line = format!(
                "{}: {} publication{} verified against the log; tree head {}",
                v.code,
                v.size,
                if v.size == 1 { "" } else { "s" },
                hex(&v.head)
            );
            if v.computed_after > 0 {
                let _ = write!(
                    line,
                    " ({} of the digests were computed after the fact, for publications made before the log)",
                    v.computed_after
                );
            }
            if v.not_stored > 0 {
                let _ = write!(
                    line,
                    " ({} publications made before the log have no stored digest yet: open the database writable \
                     once to keep them)",
                    v.not_stored
                );
            }
            line
        }
        Verdict::Tampered(t) => format!(
            "{}: DOES NOT MATCH ITS LOG from publication {} (number {} in the log): {}",
            t.code, t.publication, t.sequence, t.reason
        ),
    }
}

/// A verdict as `--format json` shows it.
fn verified_json(verdict: &Verdict) -> VerifiedJson {
    match verdict {
        Verdict::Intact(v) => VerifiedJson {
            code: v.code.to_string(),
            status: "intact",
            size: Some(v.size),
            tree_head: Some(hex(&v.head)),
            computed_after_the_fact: Some(v.computed_after),
            ..VerifiedJson::default()
        },
        Verdict::Tampered(t) => VerifiedJson {
            code: t.code.to_string(),
            status: "tampered",
            publication: Some(t.publication),
            sequence: Some(t.sequence),
            reason: Some(t.reason.clone()),
            ..VerifiedJson::default()
        },
    }
}

/// The failure message when any code's history does not match its log.
pub fn damage(verdicts: &[Verdict]) -> Option<String> {
    let tampered: Vec<String> = verdicts
        .iter()
        .filter_map(|v| match v {
            Verdict::Tampered(t) => Some(format!(
                "the stored history of '{}' does not match its publication log: publication {} (number {} in the \
                 log): {}",
                t.code, t.publication, t.sequence, t.reason
            )),
            Verdict::Intact(_) => None,
        })
        .collect();
    (!tampered.is_empty()).then(|| tampered.join("\n"))
}

/// 64 lower-case hex digits.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
