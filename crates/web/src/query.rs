//! The query string, as handlers read it: only into the types defined and listed here, so that this is the one page
//! of every parameter the site reads, and the answer cache can key an answer on those parameters and ignore the
//! rest (`?x=1`, `?utm_source=…` make no new entry). What a type's values mean is read where it is used.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Error as _, Visitor};

use crate::respond::{Problem, shorten};

/// A query-string type a handler may read: implemented only through [`listed!`], which also adds its fields to
/// [`KNOWN`], so no handler can read a parameter the cache key leaves out.
pub trait Listed: DeserializeOwned {}

/// The query string, read into a listed type; a malformed one is the framework's 400 (redrawn by the policy).
pub struct Query<T>(pub T);

impl<T: Listed, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = axum::extract::rejection::QueryRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        #[allow(clippy::disallowed_types)] // The one place that reads it: through a listed type.
        let axum::extract::Query(value) = axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Self(value))
    }
}

macro_rules! listed {
    ($($ty:ty),* $(,)?) => {
        $(impl Listed for $ty {})*
        /// Every parameter name some handler reads.
        pub static KNOWN: LazyLock<BTreeSet<&'static str>> =
            LazyLock::new(|| [$(field_names::<$ty>()),*].into_iter().flatten().copied().collect());
    };
}

// Every parameter the site reads, by the addresses that read it.

/// `?at=` / `?version=` on provision pages.
#[derive(Deserialize, Default)]
pub struct PointQuery {
    pub(crate) at: Option<String>,
    pub(crate) version: Option<String>,
}

/// `?as_recorded=DATE` on every address of a code: the register as recorded at the end of that day (UTC).
#[derive(Deserialize, Default)]
pub struct RecordedQuery {
    pub(crate) as_recorded: Option<String>,
}

/// `?date=` from the date picker.
#[derive(Deserialize)]
pub struct DateQuery {
    pub(crate) date: Option<String>,
}

/// The parameters of a search.
#[derive(Deserialize, Default)]
pub struct SearchQuery {
    /// The query.
    pub(crate) q: Option<String>,
    /// The code (only for `/api/v1/search`; default: the site's default code).
    pub(crate) code: Option<String>,
    /// Search at this date.
    pub(crate) at: Option<String>,
    /// Search at this version.
    pub(crate) version: Option<String>,
    /// Search every wording: a yes/no [`flag`].
    pub(crate) all_versions: Option<String>,
    /// Only this provision and its parts.
    pub(crate) within: Option<String>,
    /// 1-based page.
    pub(crate) page: Option<String>,
    /// Results per page (1 to 100, default 20).
    pub(crate) per_page: Option<String>,
}

/// `?provision=` and `?ignore_formatting=` on comparisons.
#[derive(Deserialize, Default)]
pub struct CompareQuery {
    pub(crate) provision: Option<String>,
    /// Compare ignoring white space and punctuation: a yes/no [`flag`].
    pub(crate) ignore_formatting: Option<String>,
}

/// The compare form's fields: two points (versions or dates) and, optionally, the provision to compare and
/// whether to ignore formatting.
#[derive(Deserialize, Default)]
pub struct CompareForm {
    pub(crate) a: Option<String>,
    pub(crate) b: Option<String>,
    pub(crate) provision: Option<String>,
    pub(crate) ignore_formatting: Option<String>,
}

/// `?state=` on the consultations page and API.
#[derive(Deserialize, Default)]
pub struct ConsultationQuery {
    /// Only consultations in this state today: open, closed, upcoming or unknown.
    pub(crate) state: Option<String>,
    /// Only those recorded or corrected after this record time (RFC 3339).
    pub(crate) since: Option<String>,
}

/// The filters of `/proposals` and `/api/v1/{code}/proposals`.
#[derive(Deserialize, Default)]
pub struct ProposalQuery {
    /// Only those at this stage on `at` (today by default).
    pub(crate) stage: Option<String>,
    /// The date stages are read on (`today` accepted); later stages are scheduled.
    pub(crate) at: Option<String>,
    /// Only those on this path.
    pub(crate) path: Option<String>,
    /// Only those that would change this provision, a part of it or a whole containing it.
    pub(crate) affects: Option<String>,
    /// Only those pending at the end of this date (`today` accepted).
    pub(crate) pending_at: Option<String>,
    /// Only those recorded or corrected after this record time (RFC 3339).
    pub(crate) since: Option<String>,
}

/// `?at=` on a proposal: the day its stage is read on (today by default).
#[derive(Deserialize, Default)]
pub struct OnQuery {
    pub(crate) at: Option<String>,
}

/// `?from=` and `?to=` on the timeline: only entries taking effect on or after, on or before these dates.
#[derive(Deserialize, Default)]
pub struct TimelineQuery {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    /// Only those recorded or corrected after this record time (RFC 3339).
    pub(crate) since: Option<String>,
}

/// `?since=TIME` on the lists a client syncs (versions, publications): only what was recorded or corrected after
/// that record time (RFC 3339).
#[derive(Deserialize, Default)]
pub struct SinceQuery {
    pub(crate) since: Option<String>,
}

/// `?page=N&per_page=M` on the API's lists: one page of the list, with its totals and `Link` headers; without
/// either, the whole list (as every v1 client reads it).
#[derive(Deserialize, Default)]
pub struct PageQuery {
    /// 1-based page.
    pub(crate) page: Option<String>,
    /// Items per page (1 to [`MAX_PER_PAGE`], default [`PER_PAGE`]).
    pub(crate) per_page: Option<String>,
}

/// Items per page of a list when only `page` is given.
pub const PER_PAGE: usize = 100;
/// The most items a page of a list may hold.
pub const MAX_PER_PAGE: usize = 1000;

/// `?page=N` of `/log`.
#[derive(Deserialize)]
pub struct LogQuery {
    pub(crate) page: Option<usize>,
}

/// `?sequence=N` or `?hash=DIGEST`, and `?tree_size=S`, of the inclusion proof.
#[derive(Deserialize)]
pub struct InclusionQuery {
    pub(crate) sequence: Option<u64>,
    pub(crate) hash: Option<String>,
    pub(crate) tree_size: Option<u64>,
}

/// `?first=M&second=S` of the consistency proof.
#[derive(Deserialize)]
pub struct ConsistencyQuery {
    pub(crate) first: Option<u64>,
    pub(crate) second: Option<u64>,
}

listed!(
    RecordedQuery,
    PointQuery,
    DateQuery,
    SearchQuery,
    CompareQuery,
    CompareForm,
    ConsultationQuery,
    ProposalQuery,
    OnQuery,
    TimelineQuery,
    SinceQuery,
    PageQuery,
    LogQuery,
    InclusionQuery,
    ConsistencyQuery,
);

/// Reads a whole-number parameter from 1 to `max` named `name` (in words, for the message); `default` when absent
/// or empty. Anything else is refused (400), naming it.
pub fn number(name: &str, text: Option<&str>, default: usize, max: usize) -> Result<usize, Problem> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(t) => t.parse::<usize>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| {
            Problem::bad_request(format!(
                "'{}' is not a valid {name}: give a whole number from 1 to {max}.",
                shorten(t)
            ))
        }),
    }
}

/// Reads a yes/no parameter named `name`, one way for every one: `true`, `1`, `on` or `yes` (a form's checked box
/// sends `true` or its value), and `false`, `0`, `off`, `no`, empty or absent; case and surrounding spaces do not
/// matter. Anything else is refused (400), naming the parameter.
pub fn flag(name: &str, value: Option<&str>) -> Result<bool, Problem> {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("" | "false" | "0" | "off" | "no") => Ok(false),
        Some("true" | "1" | "on" | "yes") => Ok(true),
        Some(other) => {
            Err(Problem::bad_request(format!("'{}' is not a valid {name}: give true or false.", shorten(other))))
        }
    }
}

/// What is left as it is when a value is put in an address, in a query or a path segment (RFC 3986's unreserved
/// characters: letters, digits and `-._~`, so versions such as `4.0` and dates stay readable); everything else is
/// percent-encoded.
pub const UNRESERVED: percent_encoding::AsciiSet =
    percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A value percent-encoded for an address ([`UNRESERVED`]).
pub fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, &UNRESERVED).to_string()
}

/// The query string with only the parameters some handler reads, sorted by name (stably, so repeated names keep
/// their order): what the answer cache keys on. Empty when none is left.
pub fn cache_key(query: Option<&str>) -> String {
    let Some(query) = query else { return String::new() };
    let mut kept: Vec<(&str, &str)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .filter(|(name, _)| {
            percent_encoding::percent_decode_str(name).decode_utf8().is_ok_and(|n| KNOWN.contains(n.as_ref()))
        })
        .collect();
    kept.sort_by_key(|(name, _)| *name);
    kept.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&")
}

/// An address as it is cited: its path and, sorted by name, the parameters some handler reads that have a
/// value, less those named in `without`. `/provisions/H15?x=1&version=4.1&at=` is `/provisions/H15?version=4.1`.
pub fn canonical_address(uri: &axum::http::Uri, without: &[&str]) -> String {
    let known = cache_key(uri.query());
    let kept: Vec<&str> = known
        .split('&')
        .filter(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            !value.is_empty() && !without.contains(&name)
        })
        .collect();
    if kept.is_empty() { uri.path().to_string() } else { format!("{}?{}", uri.path(), kept.join("&")) }
}

/// The field names of a struct that derives `Deserialize`, read from what it asks a deserializer for.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut catcher = FieldCatcher(&[]);
    let _ = T::deserialize(&mut catcher);
    catcher.0
}

struct FieldCatcher(&'static [&'static str]);

impl<'de> serde::Deserializer<'de> for &mut FieldCatcher {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(Self::Error::custom("only a struct's field names are read"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields;
        Err(Self::Error::custom("field names read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_parameters_are_every_listed_type_s_fields() {
        for name in ["at", "version", "q", "page", "ignore_formatting", "provision", "state", "stage", "date"] {
            assert!(KNOWN.contains(name), "{name}: {:?}", *KNOWN);
        }
        assert!(!KNOWN.contains("x"));
    }

    #[test]
    fn a_yes_no_parameter_is_read_one_way_and_anything_else_is_refused_by_name() {
        for yes in ["true", "1", "on", "yes", " TRUE ", "Yes"] {
            assert_eq!(flag("all_versions", Some(yes)).ok(), Some(true), "{yes:?}");
        }
        for no in [None, Some(""), Some("false"), Some("0"), Some("off"), Some("no"), Some(" Off ")] {
            assert_eq!(flag("all_versions", no).ok(), Some(false), "{no:?}");
        }
        let refused = flag("all_versions", Some("maybe")).expect_err("refused");
        assert_eq!(refused.detail, "'maybe' is not a valid all_versions: give true or false.");
    }

    #[test]
    fn values_in_addresses_keep_only_the_unreserved_characters() {
        assert_eq!(encode("4.0-a_b~c"), "4.0-a_b~c");
        assert_eq!(encode("bonne foi/é&?"), "bonne%20foi%2F%C3%A9%26%3F");
    }

    #[test]
    fn a_canonical_address_keeps_the_known_parameters_with_a_value_sorted() {
        let uri = |text: &str| text.parse::<axum::http::Uri>().expect("uri");
        assert_eq!(canonical_address(&uri("/provisions/H15"), &[]), "/provisions/H15");
        assert_eq!(canonical_address(&uri("/provisions/H15?utm_source=x&at="), &[]), "/provisions/H15");
        assert_eq!(
            canonical_address(&uri("/provisions/H15?version=4.1&x=1&as_recorded=2026-11-05"), &[]),
            "/provisions/H15?as_recorded=2026-11-05&version=4.1"
        );
        assert_eq!(
            canonical_address(&uri("/provisions/H15?version=4.1&as_recorded=2026-11-05"), &["as_recorded"]),
            "/provisions/H15?version=4.1"
        );
    }

    #[test]
    fn the_cache_key_keeps_known_parameters_sorted_and_drops_the_rest() {
        assert_eq!(cache_key(None), "");
        assert_eq!(cache_key(Some("x=1")), "");
        assert_eq!(cache_key(Some("x=1&utm_source=feed&")), "");
        assert_eq!(cache_key(Some("version=4.1&x=2&at=2015-01-01")), "at=2015-01-01&version=4.1");
        assert_eq!(cache_key(Some("q=a&q=b")), "q=a&q=b", "repeats keep their order");
        assert_eq!(cache_key(Some("q=b&q=a")), "q=b&q=a");
        assert_eq!(cache_key(Some("%71=word")), "%71=word", "a percent-encoded known name is known");
        assert_eq!(cache_key(Some("ignore_formatting")), "ignore_formatting=");
    }
}
