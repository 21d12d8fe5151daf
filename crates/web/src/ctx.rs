//! What every handler works with, extracted and checked before it runs: the code the address names (with its
//! history in the current snapshot), today, the client's validator for 304s, and the face errors are shown with.
//! A page handler takes a [`PageCtx`] and answers [`PageResult`]; an API handler takes an [`ApiCtx`] and answers
//! [`ApiResult`]: the error's face follows from the types, so a JSON route cannot answer an HTML error.

use std::marker::PhantomData;
use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::HeaderMap;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use inforce_core::date::human_date;
use inforce_core::point::{Cut, Point, PointError, PointParseError, parse_date};
use inforce_core::{CodeId, History, ProvisionId};
use jiff::civil::Date;
use serde::Deserialize;

use crate::query::PointQuery;
use crate::respond::{ApiError, ApiResult, Body, Cache, PageError, PageResult, Problem, respond, shorten};
use crate::site::{Overloaded, Site, Snapshot};

/// Who reads the answer: a person (pages, feeds) or a program (the JSON API).
pub trait Face: Send + Sync + 'static {
    /// The error this face answers with.
    type Error: From<Problem> + IntoResponse + Send;
    /// Whether a code other than the default has its own address prefix (`/codes/{code}`): pages link within
    /// it; API addresses always name the code.
    const PREFIXED: bool;
}

/// Pages and feeds: errors as accessible HTML pages.
pub enum Page {}

/// The JSON API: errors as problem+json.
pub enum Api {}

impl Face for Page {
    type Error = PageError;
    const PREFIXED: bool = true;
}

impl Face for Api {
    type Error = ApiError;
    const PREFIXED: bool = false;
}

/// One code's history in the current snapshot, with what the request brings.
pub struct Ctx<F: Face> {
    /// The snapshot the answer is drawn from.
    pub snapshot: Arc<Snapshot>,
    /// The code's history.
    pub history: Arc<History>,
    /// The code the address names (or the site's default).
    pub code: CodeId,
    /// The path prefix of this code's pages: "" for the default code (and for the API), "/codes/{code}" otherwise.
    pub base: String,
    /// The site's public URL (no trailing slash), or "" when none is configured: what absolute links start with.
    pub origin: String,
    /// The date taken as today.
    pub today: Date,
    /// The site, for work that must not run on the async workers ([`Ctx::heavy`]).
    pub site: Arc<Site>,
    /// The address asked for (path and query, as the client wrote it): what the canonical address and the
    /// links to other readings of the same page are made from.
    pub address: axum::http::Uri,
    /// `?as_recorded=`: the history is the register as recorded then, not as it stands.
    pub recorded: Option<AsRecorded>,
    /// When heavy work for this request must stop ([`Ctx::heavy`] sets it).
    deadline: Option<tokio::time::Instant>,
    /// The request's conditional headers (`If-Match`, `If-None-Match`, `If-Modified-Since`,
    /// `If-Unmodified-Since`, `If-Range`) and `Range`, for 304, 412 and 206.
    conditions: HeaderMap,
    face: PhantomData<F>,
}

/// The context of a page or feed.
pub type PageCtx = Ctx<Page>;
/// The context of an API answer.
pub type ApiCtx = Ctx<Api>;

impl<F: Face> FromRequestParts<Arc<Site>> for Ctx<F> {
    type Rejection = F::Error;

    async fn from_request_parts(parts: &mut Parts, site: &Arc<Site>) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, site)
            .await
            .map_err(|e| Problem::bad_request(format!("The address cannot be read: {e}.")))?;
        let named = params.iter().find(|(name, _)| *name == "code").map(|(_, value)| value.to_string());
        let conditions = conditions(&parts.headers);
        // Every extractor of one request reads the same snapshot, even if a new one lands meanwhile.
        let snapshot = match parts.extensions.get::<Arc<Snapshot>>() {
            Some(snapshot) => snapshot.clone(),
            None => {
                let snapshot = site.snapshot();
                parts.extensions.insert(snapshot.clone());
                snapshot
            }
        };
        let mut ctx = Self::in_snapshot(site, snapshot, named.as_deref(), conditions)?;
        // The address as asked (a nested router sees only its own part of it).
        ctx.address = parts.extensions.get::<axum::extract::OriginalUri>().map_or(&parts.uri, |o| &o.0).clone();
        // Every extractor of one request reads the register as recorded once.
        if let Some(recorded) = parts.extensions.get::<RecordedFor>()
            && recorded.code == ctx.code
        {
            return Ok(Self { history: recorded.history.clone(), recorded: Some(recorded.recorded.clone()), ..ctx });
        }
        let crate::query::Query(query) =
            crate::query::Query::<crate::query::RecordedQuery>::from_request_parts(parts, site)
                .await
                .map_err(|e| Problem::bad_request(format!("{}.", e.body_text().trim_end_matches('.'))))?;
        let ctx = ctx.read_as_recorded(query.as_recorded.as_deref()).await?;
        if let Some(recorded) = &ctx.recorded {
            parts.extensions.insert(RecordedFor {
                code: ctx.code.clone(),
                history: ctx.history.clone(),
                recorded: recorded.clone(),
            });
        }
        Ok(ctx)
    }
}

/// The register as recorded that a request's first extractor read, for the others.
#[derive(Clone)]
struct RecordedFor {
    code: CodeId,
    history: Arc<History>,
    recorded: AsRecorded,
}

/// `?as_recorded=DATE`: what the answer is drawn from when it is the register as recorded at the end of a day
/// (UTC), not as it stands.
#[derive(Debug, Clone)]
pub struct AsRecorded {
    /// The day asked.
    pub day: Date,
    /// The latest publication recorded by the end of that day: the register is the one it left.
    pub publication: inforce_store::Publication,
    /// The day is over (by the clock, in UTC): nothing more can be recorded by its end, so an answer about a
    /// named point never changes.
    pub settled: bool,
}

impl<F: Face> Ctx<F> {
    /// The context of the code `named` (or the site's default), refused when no such code is served.
    pub fn for_code(site: &Arc<Site>, named: Option<&str>, request: &HeaderMap) -> Result<Self, Problem> {
        Self::in_snapshot(site, site.snapshot(), named, conditions(request))
    }

    fn in_snapshot(
        site: &Arc<Site>,
        snapshot: Arc<Snapshot>,
        named: Option<&str>,
        conditions: HeaderMap,
    ) -> Result<Self, Problem> {
        let (code, base) = match named {
            Some(text) => {
                let code = CodeId::parse(text)
                    .map_err(|e| Problem::bad_request(format!("'{}' is not a code id: {e}", shorten(text))))?;
                let base = if F::PREFIXED { format!("/codes/{code}") } else { String::new() };
                (code, base)
            }
            None => (site.options.default_code.clone(), String::new()),
        };
        let history = snapshot.histories.get(&code).cloned().ok_or_else(|| {
            if let Some(damage) = snapshot.damaged.get(&code) {
                return Problem::unavailable(format!(
                    "The code '{code}' cannot be served: {}. Every other code is served.",
                    damage.public
                ));
            }
            let known: Vec<String> = snapshot.histories.keys().map(ToString::to_string).collect();
            Problem::not_found(format!("No code '{code}' is registered here (codes: {}).", known.join(", ")))
        })?;
        let origin = site.options.public_url.clone().unwrap_or_default();
        let today = site.today(&history.register().code);
        let site = site.clone();
        Ok(Self {
            snapshot,
            history,
            code,
            base,
            origin,
            today,
            site,
            address: axum::http::Uri::from_static("/"),
            recorded: None,
            deadline: None,
            conditions,
            face: PhantomData,
        })
    }

    /// The context with the register as recorded at the end of the day `text` names (`?as_recorded=`, read as
    /// `--as-recorded` reads it: `YYYY-MM-DD` or `today`, days in UTC); unchanged when absent or empty. 400 for
    /// a day that is not one or is still to come; 404 when nothing of the code was recorded by then; 503 when
    /// the server cannot read it in time.
    pub async fn read_as_recorded(mut self, text: Option<&str>) -> Result<Self, Problem> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(self) };
        let now = jiff::Timestamp::now();
        let record_today = inforce_core::ledger::record_day(now);
        let day = parse_date(text, record_today).map_err(|_| {
            Problem::bad_request(format!(
                "as_recorded: '{}' is not a day: write it as YYYY-MM-DD, for example 2026-11-05, or 'today'.",
                shorten(text)
            ))
        })?;
        if day > record_today {
            return Err(Problem::bad_request(format!(
                "as_recorded: {day} is still to come (today is {record_today} in UTC): nothing is recorded on it yet."
            )));
        }
        let until = inforce_core::ledger::end_of_record_day(day).ok_or_else(|| {
            Problem::bad_request(format!("as_recorded: {day} is past the last day a record time holds."))
        })?;
        let publications = self.publications();
        let Some(publication) = publications.iter().rev().find(|p| p.recorded_at <= until).cloned() else {
            let first = publications.first().map_or(String::new(), |p| {
                format!(": its first publication was recorded on {}", inforce_core::ledger::record_day(p.recorded_at))
            });
            return Err(Problem::not_found(format!(
                "Nothing of the {} had been recorded by the end of {day} (UTC){first}.",
                self.code
            )));
        };
        let deadline = tokio::time::Instant::now() + self.site.options.limits.request_timeout;
        let history = self.site.as_recorded(&self.code, &publication, deadline).await.map_err(|e| match e {
            crate::recorded::RecordedError::Overloaded(Overloaded::Busy) => {
                Problem::unavailable("The server is busy reading other registers as recorded; try again in a moment.")
            }
            crate::recorded::RecordedError::Overloaded(Overloaded::TooLong) => too_long(&self.site),
            crate::recorded::RecordedError::Store(error) => Problem::unavailable(format!(
                "The register of the {} as recorded then cannot be read: {}.",
                self.code,
                error.public()
            )),
        })?;
        self.history = history;
        self.recorded = Some(AsRecorded { day, publication, settled: day < record_today });
        Ok(self)
    }

    /// Draws a CPU-heavy answer off the async workers ([`Site::heavy`]), within the request's time limit: 503
    /// with a reason when the server is too busy to start it or it runs too long.
    pub async fn heavy<T: Send + 'static>(
        mut self,
        work: impl FnOnce(&Self) -> Result<T, F::Error> + Send + 'static,
    ) -> Result<T, F::Error> {
        let deadline = tokio::time::Instant::now() + self.site.options.limits.request_timeout;
        self.deadline = Some(deadline);
        let site = self.site.clone();
        match site.heavy(deadline, move || work(&self)).await {
            Ok(answer) => answer,
            Err(Overloaded::Busy) => Err(Problem::unavailable(
                "The server is busy drawing other comparisons, blames and searches; try again in a moment.",
            )
            .into()),
            Err(Overloaded::TooLong) => Err(too_long(&site).into()),
        }
    }

    /// Whether heavy work may go on: until the request's deadline ([`inforce_core::compare::Proceed`]).
    pub fn in_time(&self) -> impl Fn() -> bool + Sync + use<F> {
        let deadline = self.deadline;
        move || deadline.is_none_or(|deadline| tokio::time::Instant::now() < deadline)
    }

    /// What a comparison or blame that stopped at the deadline answers.
    pub fn too_long(&self) -> Problem {
        too_long(&self.site)
    }

    /// The request's conditional headers and `Range`.
    pub fn conditions(&self) -> &HeaderMap {
        &self.conditions
    }

    /// Answers a body through the response policy.
    pub fn answer(&self, body: Body, cache: Cache) -> Result<axum::response::Response, F::Error> {
        let cache = self.cache(cache);
        Ok(respond(&self.conditions, body, self.last_modified(cache), cache))
    }

    /// How long an answer of kind `cache` may be kept, as recorded: an answer that depends only on published
    /// records ([`Cache::Published`]) drawn from the register as recorded on a day that is over can never
    /// change (the ledger only grows), so it is [`Cache::Immutable`]; one that depends on today still changes
    /// with the day.
    pub fn cache(&self, cache: Cache) -> Cache {
        match (&self.recorded, cache) {
            (Some(AsRecorded { settled: true, .. }), Cache::Published) => Cache::Immutable,
            _ => cache,
        }
    }

    /// The publications the answer may show: as recorded, those recorded by the end of the day asked.
    pub fn publications(&self) -> &[inforce_store::Publication] {
        let all = self.snapshot.publications.get(&self.code).map_or(&[][..], |list| list.as_slice());
        match &self.recorded {
            Some(recorded) => &all[..all.iter().position(|p| p.id > recorded.publication.id).unwrap_or(all.len())],
            None => all,
        }
    }

    /// The publication log the answer may show: as recorded, its entries by the end of the day asked.
    pub fn log(&self) -> &[inforce_store::LogEntry] {
        let all = self.snapshot.logs.get(&self.code).map_or(&[][..], |log| log.as_slice());
        match &self.recorded {
            Some(recorded) => {
                &all[..all.iter().position(|e| e.publication > recorded.publication.id).unwrap_or(all.len())]
            }
            None => all,
        }
    }

    /// The record time of the latest publication the answer is drawn from.
    pub fn published(&self) -> jiff::Timestamp {
        match &self.recorded {
            Some(recorded) => recorded.publication.recorded_at,
            None => self.snapshot.published(&self.code),
        }
    }

    /// When the answer last changed: the latest publication it is drawn from, or for an answer that depends on
    /// today the start of the code's day (in its time zone) when that is later. Another code's publication or
    /// day changes nothing here.
    pub fn last_modified(&self, cache: Cache) -> jiff::Timestamp {
        let published = self.published();
        if cache != Cache::Today {
            return published;
        }
        let zone = self.history.register().code.zone().unwrap_or(jiff::tz::TimeZone::UTC);
        let midnight = self.today.to_zoned(zone).map_or(published, |z| z.timestamp());
        published.max(midnight)
    }

    /// A day as every face accepts it: `YYYY-MM-DD` or `today`.
    /// `?since=`: a record time (RFC 3339, `2026-11-05T09:00:00Z`); `None` when absent or empty.
    pub fn since(&self, text: Option<&str>) -> Result<Option<jiff::Timestamp>, Problem> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
        text.parse().map(Some).map_err(|_| {
            Problem::bad_request(format!(
                "since: '{}' is not a record time: write it as RFC 3339, for example 2026-11-05T09:00:00Z.",
                shorten(text)
            ))
        })
    }

    /// Whether the record `kind`/`key` was recorded or corrected after `since` (always, without a `since`).
    pub fn recorded_since(
        &self,
        since: Option<jiff::Timestamp>,
        kind: inforce_core::ledger::RecordKind,
        key: &str,
    ) -> bool {
        since
            .is_none_or(|since| self.history.record_times().item(kind, key).is_some_and(|times| times.latest() > since))
    }

    pub fn date(&self, text: &str) -> Result<Date, Problem> {
        parse_date(text, self.today).map_err(|_| {
            Problem::bad_request(format!(
                "'{}' is not a date: write it as YYYY-MM-DD, for example 2015-01-20, or 'today'.",
                shorten(text)
            ))
        })
    }

    /// A provision of this code, in any usual spelling.
    pub fn provision(&self, text: &str) -> Result<ProvisionId, Problem> {
        let id = ProvisionId::parse(text)
            .map_err(|e| Problem::bad_request(format!("'{}' is not a provision id: {e}", shorten(text))))?;
        match self.history.provision(&id) {
            Some(_) => Ok(id),
            None => Err(Problem::not_found(format!("The {} has no provision '{id}'.", self.code))),
        }
    }

    /// A point: `today`, a date or a version.
    pub fn point(&self, text: &str) -> Result<Point, Problem> {
        Point::parse(text, self.today).map_err(|e| match e {
            PointParseError::InvalidDate(_) => Problem::bad_request(format!(
                "'{}' is not a valid date: write it as YYYY-MM-DD, for example 2015-01-20.",
                shorten(text)
            )),
            PointParseError::Neither { reason, .. } => {
                Problem::bad_request(format!("'{}' is not a version or date: {reason}", shorten(text)))
            }
        })
    }

    /// A point resolved against the code's history.
    pub fn cut(&self, point: &Point) -> Result<Cut<'_>, Problem> {
        self.history.cut(point).map_err(|e| match e {
            PointError::UnknownEntry(id) => {
                Problem::not_found(format!("The {} has no version or event '{}'.", self.code, shorten(&id)))
            }
            PointError::Undated(_) => Problem::bad_request(e.to_string()),
        })
    }

    /// `?at=DATE` or `?version=V` (default today), resolved.
    pub fn cut_from(&self, query: &PointQuery) -> Result<Cut<'_>, Problem> {
        self.cut(&query.point(self)?)
    }
}

impl Ctx<Page> {
    /// The fields the base layout reads.
    pub fn frame(&self) -> Frame {
        Frame {
            code: self.code.to_string(),
            code_title: self.history.register().code.title.clone(),
            base: self.base.clone(),
            today: self.today.to_string(),
            today_human: human_date(self.today),
            canonical: format!("{}{}", self.origin, crate::query::canonical_address(&self.address, &[])),
            as_it_stands: crate::query::canonical_address(&self.address, &["as_recorded"]),
            as_recorded: self.recorded.as_ref().map(|r| RecordedBanner {
                day: human_date(r.day),
                publication: r.publication.recorded_at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
                settled: r.settled,
            }),
        }
    }

    /// A page drawn from its template.
    pub fn page(&self, page: impl Template, cache: Cache) -> PageResult {
        let html = page.render().map_err(|e| Problem::internal(format!("the page could not be drawn: {e}")))?;
        self.answer(Body::Html(html), cache)
    }

    /// A page about the whole code, written while its template is drawn ([`respond_streamed`]), never held
    /// whole; the template works its rows out as it writes them. `what` names what the address asks for
    /// (`contents 2021-01-01`), for the ETag ([`Ctx::drawn_from`]).
    pub async fn page_streamed(&self, cache: Cache, what: &str, page: impl Template + Send + 'static) -> PageResult {
        let held = self.admitted().await?;
        Ok(crate::respond::respond_streamed(
            &self.conditions,
            "text/html; charset=utf-8",
            &self.drawn_from(&format!("page {what}")),
            self.last_modified(self.cache(cache)),
            self.cache(cache),
            self.site.heavy_workers(),
            held,
            move |out| Template::write_into(&page, out),
        ))
    }
}

impl Ctx<Api> {
    /// A JSON answer.
    pub fn json(&self, answer: &impl serde::Serialize, cache: Cache) -> ApiResult {
        self.answer(Body::json(answer)?, cache)
    }

    /// A JSON answer holding a list (its member `field`): whole, as every v1 client reads it, or, when `?page=`
    /// or `?per_page=` is given, one page of the list, with a `paging` object (`page`, `per_page`, `total`,
    /// `pages`) after the answer's own members and `Link` headers to the first, previous, next and last pages
    /// (RFC 8288). 400 for a page or size that is not a whole number in range; 404 for a page past the last.
    pub fn json_list(
        &self,
        answer: &impl serde::Serialize,
        field: &str,
        paging: &crate::query::PageQuery,
        cache: Cache,
    ) -> ApiResult {
        use crate::query::{MAX_PER_PAGE, PER_PAGE, number};
        let given = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
        if !given(&paging.page) && !given(&paging.per_page) {
            return self.json(answer, cache);
        }
        let page = number("page", paging.page.as_deref(), 1, 1_000_000_000)?;
        let per_page = number("number of items per page", paging.per_page.as_deref(), PER_PAGE, MAX_PER_PAGE)?;
        let mut value = serde_json::to_value(answer)
            .map_err(|e| Problem::internal(format!("the answer could not be written as JSON: {e}")))?;
        let Some(list) = value.get_mut(field).and_then(serde_json::Value::as_array_mut) else {
            return Err(Problem::internal(format!("the answer has no list '{field}' to page")).into());
        };
        let total = list.len();
        let pages = total.div_ceil(per_page).max(1);
        if page > pages {
            return Err(Problem::not_found(format!(
                "The list has {total} item(s), {pages} page(s) of {per_page}; there is no page {page}."
            ))
            .into());
        }
        let shown: Vec<serde_json::Value> = list.drain(..).skip((page - 1) * per_page).take(per_page).collect();
        *list = shown;
        if let Some(members) = value.as_object_mut() {
            members.insert(
                "paging".into(),
                serde_json::json!({ "page": page, "per_page": per_page, "total": total, "pages": pages }),
            );
        }
        let mut response = self.json(&value, cache)?;
        let links = self.page_links(page, per_page, pages);
        if let Ok(links) = axum::http::HeaderValue::from_str(&links) {
            response.headers_mut().insert(header::LINK, links);
        }
        Ok(response)
    }

    /// The `Link` header of page `page` of `pages` (RFC 8288): this address with `page` and `per_page` set, for
    /// the first, previous, next and last pages (previous and next only where there is one).
    fn page_links(&self, page: usize, per_page: usize, pages: usize) -> String {
        let address = crate::query::canonical_address(&self.address, &["page", "per_page"]);
        let joiner = if address.contains('?') { '&' } else { '?' };
        let link = |n: usize, rel: &str| {
            format!("<{}{address}{joiner}page={n}&per_page={per_page}>; rel=\"{rel}\"", self.origin)
        };
        let mut links = vec![link(1, "first")];
        if page > 1 {
            links.push(link(page - 1, "prev"));
        }
        if page < pages {
            links.push(link(page + 1, "next"));
        }
        links.push(link(pages, "last"));
        links.join(", ")
    }

    /// A JSON answer about the whole code, written (pretty, as [`Ctx::json`] writes) while it is serialised
    /// ([`respond_streamed`]), never held whole: `answer` writes it from the code's history. `what` names what
    /// the address asks for (`contents 2021-01-01`), for the ETag ([`Ctx::drawn_from`]).
    pub async fn json_streamed(
        &self,
        cache: Cache,
        what: &str,
        answer: impl FnOnce(&History, &mut dyn std::io::Write) -> serde_json::Result<()> + Send + 'static,
    ) -> ApiResult {
        let history = self.history.clone();
        let held = self.admitted().await?;
        Ok(crate::respond::respond_streamed(
            &self.conditions,
            "application/json",
            &self.drawn_from(what),
            self.last_modified(self.cache(cache)),
            self.cache(cache),
            self.site.heavy_workers(),
            held,
            move |out| answer(&history, out).map_err(std::io::Error::from),
        ))
    }
}

impl<F: Face> Ctx<F> {
    /// Waits, within the request's time, until the memory budget admits a streamed answer, and holds its pipe's
    /// bytes; 503 when it does not come in time.
    async fn admitted(&self) -> Result<crate::budget::MemoryHold, Problem> {
        let memory = self.site.memory();
        let deadline = tokio::time::Instant::now() + self.site.options.limits.request_timeout;
        if !memory.admit(deadline).await {
            return Err(Problem::unavailable("The server is busy sending other large answers; try again in a moment."));
        }
        Ok(memory.hold(crate::respond::STREAMED_BYTES))
    }

    /// A strong ETag for an answer sent before its bytes are known: a hash of everything it is drawn from (the
    /// code and the address it is served under, its latest publication's digest, what the address asks for,
    /// today, this build's version), so
    /// the same answer has the same tag on every instance and after a restart, and another answer another tag.
    pub fn drawn_from(&self, what: &str) -> String {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        let digest = self.log().last().map(|e| e.digest.to_string());
        let published = self.published().to_string();
        let identity = (env!("CARGO_PKG_VERSION"), self.code.as_str(), &self.base, &self.origin);
        let as_recorded = self.recorded.as_ref().map(|r| r.day);
        (identity, digest, published, as_recorded, what, self.today).hash(&mut hasher);
        format!("\"{:016x}-drawn\"", hasher.finish())
    }
}

/// A provision of the code the address names, read from `{provision}` in any usual spelling and checked to exist
/// before the handler runs (400 for a malformed id, 404 for one the code lacks).
pub struct Provision<F: Face> {
    /// The provision's canonical id.
    pub id: ProvisionId,
    face: PhantomData<F>,
}

impl<F: Face> FromRequestParts<Arc<Site>> for Provision<F> {
    type Rejection = F::Error;

    async fn from_request_parts(parts: &mut Parts, site: &Arc<Site>) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::<F>::from_request_parts(parts, site).await?;
        let params = RawPathParams::from_request_parts(parts, site)
            .await
            .map_err(|e| Problem::bad_request(format!("The address cannot be read: {e}.")))?;
        let text = params.iter().find(|(name, _)| *name == "provision").map_or("", |(_, value)| value);
        let id = ctx.provision(text)?;
        // Another spelling of the id (`h15`, `Section H`) is sent to the one address that is cited.
        if percent_encoding::percent_decode_str(text).decode_utf8_lossy() != id.as_str() {
            // The address as asked (a nested router sees only its own part of it).
            let asked = parts.extensions.get::<axum::extract::OriginalUri>().map_or(&parts.uri, |o| &o.0);
            let location = canonical_address(asked, id.as_str());
            return Err(
                Problem::moved(location, format!("The address of {id} is canonical with its id as {id}.")).into()
            );
        }
        Ok(Self { id, face: PhantomData })
    }
}

/// The address `uri` names with its provision segment (the one after `/provisions/`) spelled `id`, percent-encoded
/// as a path segment, and the same query.
fn canonical_address(uri: &axum::http::Uri, id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    let path = uri.path();
    let marker = "/provisions/";
    let Some(at) = path.find(marker).map(|at| at + marker.len()) else { return path.to_string() };
    let end = path[at..].find('/').map_or(path.len(), |end| at + end);
    let encoded = percent_encoding::utf8_percent_encode(id, SEGMENT);
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!("{}{encoded}{}{query}", &path[..at], &path[end..])
}

/// The point `?at=DATE` or `?version=V` names (today when neither), read and checked before the handler runs;
/// resolving it against the history is [`Ctx::cut`]'s.
pub struct At<F: Face> {
    /// The point.
    pub point: Point,
    /// Whether it is "today" by default: such answers change with the date.
    pub today: bool,
    face: PhantomData<F>,
}

impl<F: Face> FromRequestParts<Arc<Site>> for At<F> {
    type Rejection = F::Error;

    async fn from_request_parts(parts: &mut Parts, site: &Arc<Site>) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::<F>::from_request_parts(parts, site).await?;
        let crate::query::Query(query) = crate::query::Query::<PointQuery>::from_request_parts(parts, site)
            .await
            .map_err(|e| Problem::bad_request(format!("{}.", e.body_text().trim_end_matches('.'))))?;
        Ok(Self { point: query.point(&ctx)?, today: query.is_today(), face: PhantomData })
    }
}

/// 503 for an answer that runs past the request's time limit.
fn too_long(site: &Site) -> Problem {
    Problem::unavailable(format!(
        "This answer takes longer than {} seconds to draw; ask for a smaller part (a provision, a shorter range) \
         or try again later.",
        site.options.limits.request_timeout.as_secs_f64()
    ))
}

/// The headers of a request that conditional answers and ranges depend on.
fn conditions(request: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in [
        header::IF_MATCH,
        header::IF_NONE_MATCH,
        header::IF_MODIFIED_SINCE,
        header::IF_UNMODIFIED_SINCE,
        header::IF_RANGE,
        header::RANGE,
    ] {
        for value in request.get_all(&name) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

/// The fields the base layout reads.
pub struct Frame {
    pub(crate) code: String,
    pub(crate) code_title: String,
    pub(crate) base: String,
    pub(crate) today: String,
    pub(crate) today_human: String,
    /// The page's canonical address: the site's public URL (when set), the path, and the parameters that choose
    /// what it shows, sorted ([`crate::query::canonical_address`]).
    pub(crate) canonical: String,
    /// The same page as the register stands (its address without `as_recorded`).
    pub(crate) as_it_stands: String,
    /// Said on every page drawn from the register as recorded on a day.
    pub(crate) as_recorded: Option<RecordedBanner>,
}

/// What a page drawn from the register as recorded says of it.
pub struct RecordedBanner {
    /// The day asked, in words.
    pub(crate) day: String,
    /// The record time of the latest publication it includes.
    pub(crate) publication: String,
    /// Whether the day is over.
    pub(crate) settled: bool,
}

// `PointQuery` is listed with every other parameter in `query.rs`; what its values mean is read here.
impl PointQuery {
    /// Whether the point is "today" (the default): such answers change with the date.
    pub fn is_today(&self) -> bool {
        self.at.is_none() && self.version.is_none()
    }

    /// The point asked for: `at` (a date) or `version` (a version or date), today when neither; both at once
    /// are refused (400), as the command line refuses `--at` with `--version`.
    pub fn point<F: Face>(&self, ctx: &Ctx<F>) -> Result<Point, Problem> {
        Ok(match (&self.at, &self.version) {
            (Some(_), Some(_)) => {
                return Err(Problem::bad_request(
                    "Give either ?at= (a date) or ?version= (a version or date), not both.",
                ));
            }
            (Some(at), None) => Point::Date(ctx.date(at)?),
            (None, Some(version)) => ctx.point(version)?,
            (None, None) => Point::Date(ctx.today),
        })
    }
}

/// `{entry}`: a version or event.
#[derive(Deserialize)]
pub struct EntryPath {
    /// The id as written in the address.
    pub entry: String,
}

/// `{date}`.
#[derive(Deserialize)]
pub struct DatePath {
    /// The date as written in the address.
    pub date: String,
}

/// `{range}`: two points joined by `...`.
#[derive(Deserialize)]
pub struct RangePath {
    /// The range as written in the address.
    pub range: String,
}

/// `{reference}`: a proposal.
#[derive(Deserialize)]
pub struct ReferencePath {
    /// The reference as written in the address.
    pub reference: String,
}

/// `{id}/{file}`: a document and its file name.
#[derive(Deserialize)]
pub struct DocumentPath {
    /// The document's id.
    pub id: String,
    /// Its file name.
    pub file: String,
}

/// `{feed}`: a provision's feed, `H15.atom`.
#[derive(Deserialize)]
pub struct FeedPath {
    /// The feed's file name.
    pub feed: String,
}
