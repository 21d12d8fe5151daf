//! Two points compared: `/compare/{a}...{b}` (`?provision=`, `?ignore_formatting=`) and the API twin.

use crate::query::{CompareForm, CompareQuery, Query, encode, flag};
use askama::Template;
use axum::extract::Path;
use axum::response::IntoResponse;
use inforce_core::ProvisionId;
use inforce_core::diff::{DiffOptions, Op};
use inforce_core::point::Cut;
use inforce_present::describe::cut_label;
use inforce_present::wire::{self};

use crate::ctx::{ApiCtx, Ctx, Face, Frame, PageCtx, RangePath};
use crate::handlers::EntryView;
use crate::respond::{ApiResult, Cache, PageResult, Problem, shorten};

struct ChangeView {
    id: String,
    title: String,
    sort: &'static str,
    kinds: String,
    status_before: String,
    status_after: String,
    by: String,
    edits: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    f: Frame,
    /// The two points as written in the address, for the compare form.
    a_point: String,
    b_point: String,
    /// The provision the comparison is limited to, if any.
    within: Option<String>,
    /// Whether white space and punctuation are ignored.
    ignore_formatting: bool,
    a_label: String,
    b_label: String,
    /// "Version 4.0 (…) compared with version 4.1 (…)".
    heading: String,
    note: Option<String>,
    /// Said when the stretch between the points crosses a gap in the record of versions or runs past its end.
    record_note: Option<String>,
    between: Vec<EntryView>,
    /// What it found, counted (`describe::comparison_counts`).
    counts: String,
    changes: Vec<ChangeView>,
}

/// `/compare?a=…&b=…[&provision=…]`: the compare form's target (GET, no JavaScript), redirected to the comparison's
/// permanent address `/compare/{a}...{b}`. Each point is a version id or a date; a missing one is refused.
pub async fn compare_form(ctx: PageCtx, Query(form): Query<CompareForm>) -> PageResult {
    let point = |value: Option<&str>, name: &str| -> Result<String, Problem> {
        let value = value.map(str::trim).filter(|v| !v.is_empty());
        value.map(str::to_string).ok_or_else(|| {
            Problem::bad_request(format!("Give the {name} point to compare: a version (such as 4.0) or a date."))
        })
    };
    let (a, b) = (point(form.a.as_deref(), "first")?, point(form.b.as_deref(), "second")?);
    let mut target = format!("{}/compare/{}...{}", ctx.base, encode(&a), encode(&b));
    let mut query = Vec::new();
    if let Some(provision) = form.provision.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        query.push(format!("provision={}", encode(provision)));
    }
    if flag("ignore_formatting", form.ignore_formatting.as_deref())? {
        query.push("ignore_formatting=true".to_string());
    }
    if !query.is_empty() {
        target.push_str(&format!("?{}", query.join("&")));
    }
    Ok(axum::response::Redirect::to(&target).into_response())
}

/// A comparison worked out once for the page and the API.
struct Comparison<'a> {
    a: Cut<'a>,
    b: Cut<'a>,
    changes: Vec<inforce_core::compare::ProvisionComparison<'a>>,
    between: Vec<&'a inforce_core::Entry>,
    within: Option<ProvisionId>,
    options: DiffOptions,
}

fn comparison<'a, F: Face>(ctx: &'a Ctx<F>, range: &str, query: &CompareQuery) -> Result<Comparison<'a>, Problem> {
    let (a, b) = range.split_once("...").ok_or_else(|| {
        Problem::bad_request(format!(
            "'{}' is not a range: write two versions or dates joined by '...', for example 4.0...4.1.",
            shorten(range)
        ))
    })?;
    let a = ctx.cut(&ctx.point(a)?)?;
    let b = ctx.cut(&ctx.point(b)?)?;
    let within = query.provision.as_deref().map(|p| ctx.provision(p)).transpose()?;
    let options = DiffOptions { ignore_formatting: flag("ignore_formatting", query.ignore_formatting.as_deref())? };
    let changes =
        ctx.history.compare_until(&a, &b, within.as_ref(), options, &ctx.in_time()).map_err(|_| ctx.too_long())?;
    let between = ctx.history.entries_between(&a, &b);
    Ok(Comparison { a, b, changes, between, within, options })
}

/// `/compare/{a}...{b}`
pub async fn compare(ctx: PageCtx, Path(path): Path<RangePath>, Query(query): Query<CompareQuery>) -> PageResult {
    ctx.heavy(move |ctx| {
        let found = comparison(ctx, &path.range, &query)?;
        let changes = found
            .changes
            .iter()
            .map(|c| ChangeView {
                id: c.provision.id.to_string(),
                title: c.provision.title.clone().unwrap_or_default(),
                sort: c.sort.human(),
                kinds: inforce_present::describe::comparison_kinds(c),
                status_before: c.status.0.human().to_string(),
                status_after: c.status.1.human().to_string(),
                by: c.responsible.iter().map(|e| e.id.to_string()).collect::<Vec<_>>().join(", "),
                edits: c
                    .edits
                    .iter()
                    .map(|e| {
                        let op = match e.op {
                            Op::Equal => "equal",
                            Op::Insert => "insert",
                            Op::Delete => "delete",
                        };
                        (op, e.text.clone())
                    })
                    .collect(),
            })
            .collect();
        let note = (!ctx.history.has_texts()).then(|| {
            format!("No text is recorded in the {} register yet: this comparison shows statuses and the register's lists of changes.", ctx.code)
        });
        let (a_point, b_point) = path.range.split_once("...").unwrap_or_default();
        let page = ComparePage {
            f: ctx.frame(),
            ignore_formatting: found.options.ignore_formatting,
            a_point: a_point.to_string(),
            b_point: b_point.to_string(),
            within: found.within.as_ref().map(ToString::to_string),
            a_label: cut_label(&found.a),
            b_label: cut_label(&found.b),
            heading: crate::handlers::capitalise(&format!(
                "{} compared with {}",
                cut_label(&found.a),
                cut_label(&found.b)
            )),
            note,
            record_note: inforce_present::describe::stretch_coverage(
                &ctx.history,
                found.a.date.min(found.b.date),
                found.a.date.max(found.b.date),
            ),
            between: found.between.iter().map(|e| EntryView::new(e, ctx.today, false)).collect(),
            counts: inforce_present::describe::comparison_counts(&found.changes),
            changes,
        };
        ctx.page(page, Cache::Published)
    })
    .await
}

/// `/api/v1/{code}/compare/{a}...{b}`: summary and edit operations, as `inforce diff --format json`.
pub async fn api_compare(ctx: ApiCtx, Path(path): Path<RangePath>, Query(query): Query<CompareQuery>) -> ApiResult {
    ctx.heavy(move |ctx| {
        let found = comparison(ctx, &path.range, &query)?;
        let code = ctx.code.to_string();
        let note = (!ctx.history.has_texts()).then(|| {
            format!("No text is recorded in the {code} register yet: the comparison shows statuses and change lists.")
        });
        let record = wire::StretchRecordJson::new(&ctx.history, found.a.date, found.b.date);
        let parts = wire::ComparisonParts {
            history: &ctx.history,
            code: &code,
            points: (&found.a, &found.b),
            within: found.within.as_ref(),
            options: found.options,
            note: note.as_deref(),
            between: &found.between,
            changes: &found.changes,
            record: &record,
        };
        ctx.json(&wire::comparison_json(&parts, ctx.today), Cache::Published)
    })
    .await
}
