//! Consultations on the command line: record one, correct or complete one, show one (`inforce consultations` lists
//! them).

use std::fmt::Write as _;

use inforce_core::{Consultation, History};
use inforce_present::wire::{ConsultationJson, ConsultationShowJson};
use inforce_store::publish_edit;

use crate::cli::{ConsultationAddArgs, ConsultationShowArgs, ConsultationUpdateArgs};
use crate::commands::corrections::{Edited, list, optional_text, publish_correction};
use crate::commands::proposals::{checked, entry_id, fuzzy};
use crate::env::Env;
use crate::failure::Failure;

/// `inforce consultation add ID --title …`: records a consultation as one publication.
pub async fn add(env: &Env, args: &ConsultationAddArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let (code, id) = (&env.code, &args.id);
    let consultation = Consultation {
        id: id.clone(),
        title: args.title.clone(),
        published: fuzzy(Some(&args.published), today, "--published")?,
        closes: fuzzy(Some(&args.closes), today, "--closes")?,
        topics: args.topics.clone(),
        led_to: args.led_to.iter().map(|v| entry_id(v)).collect::<Result<_, _>>()?,
        concerns: Vec::new(),
        responses: args.responses.clone(),
        sources: args.sources.clone(),
        confidence: None,
        notes: Vec::new(),
    };
    let store = env.store().await?.as_ref();
    let (_, register) =
        publish_edit(store, code, &env.provenance(&format!("consultation add {id}"))?, &[], |current| {
            let current = current.ok_or_else(|| Failure::NotFound(format!("no register for code '{code}'")))?;
            if current.consultations.iter().any(|c| c.id.eq_ignore_ascii_case(id)) {
                return Err(Failure::Usage(format!("consultation '{id}' is already recorded")));
            }
            let mut next = current.clone();
            next.consultations.push(consultation.clone());
            checked(next)
        })
        .await?;
    answer(env, &History::new(register), id, today)
}

/// `inforce consultation update ID …`: corrects or completes what is recorded about a consultation (each option
/// given replaces its field), as one publication; a change to a recorded value needs `--reason`.
pub async fn update(env: &Env, args: &ConsultationUpdateArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let date = |text: &Option<String>, flag: &str| text.as_deref().map(|t| fuzzy(Some(t), today, flag)).transpose();
    let (published, closes) = (date(&args.published, "--published")?, date(&args.closes, "--closes")?);
    let led_to = args
        .led_to
        .as_ref()
        .map(|given| list(given).iter().map(|v| entry_id(v)).collect::<Result<Vec<_>, _>>())
        .transpose()?;
    let concerns = args
        .concerns
        .as_ref()
        .map(|given| {
            list(given)
                .iter()
                .map(|c| {
                    inforce_core::document::Attachment::parse(c).map_err(|e| Failure::Usage(format!("--concerns: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let edit = inforce_core::edit::ConsultationEdit {
        title: args.title.as_ref().map(|t| t.trim().to_string()),
        published,
        closes,
        topics: args.topics.as_deref().map(list),
        led_to,
        concerns,
        responses: args.responses.as_deref().map(list),
        sources: args.sourced.sources.as_deref().map(list),
        confidence: args.sourced.confidence.as_deref().map(optional_text),
        notes: args.sourced.notes.as_deref().map(list),
    };
    let id = args.id.trim();
    let (_, register) = publish_correction(env, &format!("consultation update {id}"), &args.reason, |current| {
        let mut register = current.clone();
        let corrected = register.edit_consultation(id, &edit).map_err(|e| Failure::NotFound(e.to_string()))?;
        Ok(Edited { register, corrected, what: format!("consultation {id}") })
    })
    .await?;
    let id = register.consultations.iter().find(|c| c.id.eq_ignore_ascii_case(id)).map(|c| c.id.clone());
    let history = env.with_corrections(History::new(register)).await?;
    answer(env, &history, id.as_deref().unwrap_or(&args.id), today)
}

/// `inforce consultation show ID`
pub async fn show(env: &Env, args: &ConsultationShowArgs) -> Result<(), Failure> {
    answer(env, &env.history_with_corrections().await?, &args.id, env.today().await?)
}

/// One consultation with the planned changes announced in it.
fn answer(env: &Env, history: &History, id: &str, today: jiff::civil::Date) -> Result<(), Failure> {
    let out = &env.out;
    let register = history.register();
    let consultation = register.consultation(id).ok_or_else(|| {
        let ids: Vec<&str> = register.consultations.iter().map(|c| c.id.as_str()).collect();
        Failure::NotFound(format!("no consultation '{id}' (known: {})", ids.join(", ")))
    })?;
    let json = ConsultationJson::new(consultation, today);
    out.print(&ConsultationShowJson::new(history, consultation, today), || {
        let mut text = format!(
            "{}  {}\npublished {}, closes {} ({})\n",
            json.id,
            json.title,
            consultation.published.human(),
            consultation.closes.human(),
            json.state
        );
        for topic in &json.topics {
            let _ = writeln!(text, "  - {topic}");
        }
        for response in &json.responses {
            let _ = writeln!(text, "response: {response}");
        }
        if !json.led_to.is_empty() {
            let _ = writeln!(text, "led to: {}", json.led_to.join(", "));
        }
        if !json.concerns.is_empty() {
            let _ = writeln!(text, "concerns: {}", json.concerns.join(", "));
        }
        text.push_str(&inforce_present::plain::corrected(
            history,
            inforce_core::ledger::RecordKind::Consultation,
            &consultation.id,
        ));
        for p in register.announced_in(&consultation.id) {
            let _ = writeln!(text, "planned: {} ({})", p.title, p.id);
        }
        text
    })
}
