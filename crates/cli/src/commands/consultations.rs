//! Consultations on the command line: record one, show one (`inforce consultations` lists them).

use std::fmt::Write as _;

use inforce_core::{Consultation, History};
use inforce_present::wire::{ConsultationJson, ConsultationShowJson};
use inforce_store::publish_edit;

use crate::cli::{ConsultationAddArgs, ConsultationShowArgs};
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

/// `inforce consultation show ID`
pub async fn show(env: &Env, args: &ConsultationShowArgs) -> Result<(), Failure> {
    answer(env, &env.history().await?, &args.id, env.today().await?)
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
        for p in register.announced_in(&consultation.id) {
            let _ = writeln!(text, "planned: {} ({})", p.title, p.id);
        }
        text
    })
}
