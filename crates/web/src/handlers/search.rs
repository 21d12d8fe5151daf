//! Search on the web: the `/search` page and `/api/v1/search` (also `/api/v1/{code}/search`), with the command
//! line's filters and the same JSON.

use std::sync::Arc;

use crate::query::{PointQuery, Query, SearchQuery, encode, flag, number};
use askama::Template;
use axum::extract::{RawPathParams, State};
use axum::http::HeaderMap;
use inforce_core::search::{ProvisionHit, Scope, SearchIndex, parse, snippet, wordings_at};
use inforce_core::unicode::{foldings, word_ranges};
use inforce_core::{Entry, ProvisionId};
use inforce_present::describe;
use inforce_present::wire::{SearchAsked, SearchJson};
use serde::Serialize;

use crate::ctx::{ApiCtx, Ctx, Face, Frame, PageCtx};
use crate::respond::{ApiResult, Body, Cache, PageResult, Problem};
use crate::site::Site;

/// The search index of the code's register: the one held per snapshot, or for the register as recorded on a day
/// one built for the question (as `inforce search --as-recorded` builds one).
fn index_for<F: Face>(ctx: &Ctx<F>) -> Result<std::borrow::Cow<'_, SearchIndex>, Problem> {
    if ctx.recorded.is_some() {
        return Ok(std::borrow::Cow::Owned(<SearchIndex as inforce_core::derived::DerivedIndex>::build(&ctx.history)));
    }
    ctx.snapshot
        .index::<SearchIndex>(&ctx.code)
        .map(std::borrow::Cow::Borrowed)
        .ok_or_else(|| Problem::internal(format!("No search index is held for the {}.", ctx.code)))
}

/// Runs the search the parameters describe: every hit, best first, and what was asked; `None` when no query
/// was given (an empty search page).
fn run<'a, F: Face>(
    ctx: &'a Ctx<F>,
    index: &'a SearchIndex,
    query: &'a SearchQuery,
) -> Result<Option<(Vec<ProvisionHit<'a>>, SearchAsked<'a>)>, Problem> {
    let Some(text) = query.q.as_deref().filter(|q| !q.trim().is_empty()) else { return Ok(None) };
    let parsed = parse(text).map_err(|e| Problem::bad_request(format!("The query is malformed at {e}.")))?;
    let all = flag("all_versions", query.all_versions.as_deref())?;
    let point = PointQuery {
        at: query.at.clone().filter(|s| !s.trim().is_empty()),
        version: query.version.clone().filter(|s| !s.trim().is_empty()),
    };
    let cut = if all { None } else { Some(ctx.cut_from(&point)?) };
    let within: Option<ProvisionId> =
        query.within.as_deref().filter(|w| !w.trim().is_empty()).map(|w| ctx.provision(w)).transpose()?;
    let page = number("page", query.page.as_deref(), 1, 100_000)?;
    let per_page = number("number of results per page", query.per_page.as_deref(), 20, 100)?;
    let history = &ctx.history;
    let hits = index.search(history, &parsed, cut.map_or(Scope::AllVersions, Scope::At), within.as_ref());
    let asked = SearchAsked {
        query: text,
        scope: if all { "all_versions" } else { "at" },
        date: cut.map(|c| c.date),
        version: cut.and_then(|c| c.entry.map(|(e, _)| e.id.to_string())),
        within: within.map(|w| w.to_string()),
        page,
        per_page,
    };
    Ok(Some((hits, asked)))
}

struct ResultView {
    provision: String,
    /// The day its page is linked at: the searched date's stretch, or for every version the first day of its
    /// latest matching wording; empty for a provision whose wording has no date.
    at: String,
    heading: String,
    heading_match: bool,
    wordings: Vec<WordingView>,
}

/// An entry as a period names it: its id, its date, and its date in words.
type EntryMention = (String, String, String);

struct WordingView {
    /// Each period: the entries it runs from and until (empty while it stands).
    periods: Vec<(EntryMention, EntryMention)>,
    snippet: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    f: Frame,
    q: String,
    at: String,
    version: String,
    all_versions: bool,
    within: String,
    asked: bool,
    summary: String,
    results: Vec<ResultView>,
    previous: Option<String>,
    next: Option<String>,
}

/// The search page of a static copy: a form, and a script that searches the texts in force today in the
/// reader's browser.
#[derive(Template)]
#[template(path = "search_copy.html")]
struct SearchCopyPage {
    f: Frame,
    /// The live site's address, when the copy knows it: other dates and every version are searched there.
    live: Option<String>,
}

/// `/search?q=…&at=|version=|all_versions=1&within=&page=`; in a static copy, the page that searches in the
/// browser (the script reads `q` and `page` itself).
pub async fn page(ctx: PageCtx, Query(query): Query<SearchQuery>) -> PageResult {
    if ctx.site.options.static_copy {
        let live = ctx.site.options.public_url.as_ref().map(|url| format!("{url}{}", ctx.base));
        return ctx.page(SearchCopyPage { f: ctx.frame(), live }, Cache::Today);
    }
    ctx.heavy(move |ctx| {
        let index = index_for(ctx)?;
        let answer = run(ctx, &index, &query)?;
        let mut page = SearchPage {
            f: ctx.frame(),
            q: query.q.clone().unwrap_or_default(),
            at: query.at.clone().unwrap_or_default(),
            version: query.version.clone().unwrap_or_default(),
            all_versions: flag("all_versions", query.all_versions.as_deref())?,
            within: query.within.clone().unwrap_or_default(),
            asked: answer.is_some(),
            summary: String::new(),
            results: Vec::new(),
            previous: None,
            next: None,
        };
        if let Some((hits, asked)) = answer {
            let total = hits.len();
            let pages = total.div_ceil(asked.per_page).max(1);
            let scope = match (&asked.version, asked.date) {
                (Some(v), _) => format!("in version {v}"),
                (None, Some(d)) => format!("on {d}"),
                _ => "in any version".into(),
            };
            page.summary = match asked.date.and_then(|d| describe::before_record(&ctx.history, d, ctx.today)) {
                Some(note) => note,
                None => format!(
                    "{total} {} {scope}{}",
                    if total == 1 { "provision matches" } else { "provisions match" },
                    if pages > 1 { format!(" (page {} of {pages})", asked.page) } else { String::new() }
                ),
            };
            let link = |n: usize| {
                let mut pairs = vec![("q", page.q.clone())];
                for (k, v) in [("at", &page.at), ("version", &page.version), ("within", &page.within)] {
                    if !v.is_empty() {
                        pairs.push((k, v.clone()));
                    }
                }
                if page.all_versions {
                    pairs.push(("all_versions", "1".into()));
                }
                pairs.push(("page", n.to_string()));
                let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
                format!("{}/search?{}", ctx.base, query.join("&"))
            };
            page.previous = (asked.page > 1).then(|| link(asked.page - 1));
            page.next = (asked.page < pages).then(|| link(asked.page + 1));
            let entry = |e: &Entry| (e.id.to_string(), e.effective.to_string(), e.effective.human());
            for hit in hits.iter().skip((asked.page - 1) * asked.per_page).take(asked.per_page) {
                let wordings = hit
                    .wordings
                    .iter()
                    .map(|w| WordingView {
                        periods: w
                            .periods
                            .iter()
                            .map(|p| (entry(p.from), p.until.map_or_else(Default::default, entry)))
                            .collect(),
                        snippet: snippet(&w.text, &w.matches(), 240),
                    })
                    .collect();
                let shown = asked.date.or_else(|| {
                    hit.wordings.first().and_then(|w| w.periods.last()).and_then(|p| p.from.effective.earliest())
                });
                let at = shown
                    .map(|date| ctx.history.representative_day(&hit.provision.id, date).to_string())
                    .unwrap_or_default();
                page.results.push(ResultView {
                    provision: hit.provision.id.to_string(),
                    at,
                    heading: hit.heading().to_string(),
                    heading_match: hit.heading_match,
                    wordings,
                });
            }
        }
        ctx.page(page, Cache::Today)
    })
    .await
}

/// One provision in a static copy's search index.
#[derive(Serialize)]
struct IndexedProvision<'a> {
    id: &'a str,
    /// The heading shown in a result.
    heading: &'a str,
    /// The provision's page for today's stretch, as an address on the site (the export makes it relative to the
    /// index file, and the script resolves it against the index file's address).
    href: String,
    /// How many of the first words are the heading.
    h: usize,
    text: &'a str,
}

/// A static copy's search index: what the search page's script reads.
#[derive(Serialize)]
struct CopyIndex<'a> {
    /// The code's title (as data: a comment or a bare string would let its characters end the comment).
    title: &'a str,
    /// The date whose texts these are.
    date: String,
    /// Every character simple case folding changes, with its folding.
    fold: &'a [(char, char)],
    /// The word characters, as inclusive ranges of code points: the script splits words by these, not by what its
    /// browser's Unicode version says.
    words: &'a [(u32, u32)],
    /// The wordings in reading order.
    provisions: Vec<IndexedProvision<'a>>,
}

/// The folding table every code's index carries, worked out once (it reads every Unicode scalar value).
static FOLDINGS: std::sync::LazyLock<Vec<(char, char)>> = std::sync::LazyLock::new(foldings);
/// The word characters every code's index carries, worked out once.
static WORD_RANGES: std::sync::LazyLock<Vec<(u32, u32)>> = std::sync::LazyLock::new(word_ranges);

/// `/search/index.js`, in a static copy only (404 on a served site, whose own search answers): the wordings a
/// search today looks at ([`inforce_core::search::wordings_at`]), as a script that gives them to the search page
/// (`window.inforceSearchIndex`), so the copy searches from the file system too, where a page cannot fetch JSON.
pub async fn index_script(ctx: PageCtx) -> PageResult {
    if !ctx.site.options.static_copy {
        return Err(Problem::not_found("The search index is written only into static copies of the site.").into());
    }
    ctx.heavy(move |ctx| {
        let cut = ctx.cut(&inforce_core::point::Point::Date(ctx.today))?;
        let history = &ctx.history;
        let wordings = wordings_at(history, &cut);
        let provisions = wordings
            .iter()
            .map(|w| {
                let id = w.provision.id.as_str();
                IndexedProvision {
                    id,
                    heading: w.heading(),
                    href: format!(
                        "{}/provisions/{}?at={}",
                        ctx.base,
                        encode(id),
                        history.representative_day(&w.provision.id, cut.date)
                    ),
                    h: w.heading_words,
                    text: &w.text,
                }
            })
            .collect();
        let title = &history.register().code.title;
        let index = CopyIndex { title, date: cut.date.to_string(), fold: &FOLDINGS, words: &WORD_RANGES, provisions };
        // Register strings and texts reach a script here: through the one escaping for script contexts.
        let data = inforce_present::script::json(&index)
            .map_err(|e| Problem::internal(format!("the search index could not be written: {e}")))?;
        let script = format!(
            "// The texts in force on {}, for this copy's search page (the code's title is in the data).\n\
             window.inforceSearchIndex = {data};\n",
            cut.date
        );
        ctx.answer(Body::Script(script), Cache::Today)
    })
    .await
}

/// `/api/v1/search?q=…&code=…` and `/api/v1/{code}/search?q=…`
pub async fn api(
    State(site): State<Arc<Site>>,
    params: RawPathParams,
    headers: HeaderMap,
    Query(query): Query<SearchQuery>,
    Query(recorded): Query<crate::query::RecordedQuery>,
) -> ApiResult {
    // The code comes from the address (`/api/v1/{code}/search`) or, on `/api/v1/search`, from `?code=`.
    let named = params.iter().find(|(name, _)| *name == "code").map(|(_, value)| value.to_string());
    let named = named.or_else(|| query.code.clone().filter(|c| !c.trim().is_empty()));
    let ctx =
        ApiCtx::for_code(&site, named.as_deref(), &headers)?.read_as_recorded(recorded.as_recorded.as_deref()).await?;
    ctx.heavy(move |ctx| {
        let index = index_for(ctx)?;
        let (hits, asked) = run(ctx, &index, &query)?
            .ok_or_else(|| Problem::bad_request("Give a query with q=, for example q=paiement or q=\"bonne foi\"."))?;
        ctx.json(&SearchJson::new(&ctx.history, &hits, &asked, ctx.today), Cache::Today)
    })
    .await
}
