//! Sentences a person reads: references to versions and events, and the reasons behind a status.

use inforce_core::compare::ChangeSort;
use inforce_core::{Basis, ChangeKind, Entry, EntryKind, History, HistoryItem, Relation, StatusAnswer};
use jiff::civil::Date;

/// "version 4.1 (designation, 26 January 2015)", with "planned" when it lies after today.
pub fn entry_ref(entry: &Entry, today: Date) -> String {
    let planned = if History::is_planned(entry, today) { ", planned" } else { "" };
    // An event is named by its title when it has one ("the November 2021 SEC Release"), never by its key.
    let name = match (entry.kind, &entry.title) {
        (EntryKind::Version, _) => format!("version {}", entry.id),
        (EntryKind::Event, Some(title)) => format!("the {title}"),
        (EntryKind::Event, None) => format!("the {} '{}'", entry.instrument.human(), entry.id),
    };
    // The instrument is said once: not again when the event's title already names it.
    let human = entry.instrument.human();
    let instrument = match (entry.kind, &entry.title) {
        (EntryKind::Event, None) => String::new(),
        (EntryKind::Event, Some(title)) if title.to_lowercase().contains(&human.to_lowercase()) => String::new(),
        _ => format!("{human}, "),
    };
    format!("{name} ({instrument}{}{planned})", entry.effective.human())
}

/// A provision's title as a page shows it after the id: `None` when it is empty or only repeats the id
/// (`Article L111-3` for `L111-3`, or the id itself), so that a heading never says the id twice.
pub fn shown_title<'t>(id: &str, title: &'t str) -> Option<&'t str> {
    let title = title.trim();
    if title.is_empty() || title == id {
        return None;
    }
    match title.strip_suffix(id).map(str::trim_end) {
        Some(rest) if !rest.is_empty() && !rest.contains(char::is_whitespace) && rest.len() < title.len() => None,
        _ => Some(title),
    }
}

/// What a change did, as a verb: `added`, `amended`, `removed`, `switched on`, `switched off`.
pub fn change_verb(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Amended => "amended",
        ChangeKind::Removed => "removed",
        ChangeKind::Activated => "switched on",
        ChangeKind::Deactivated => "switched off",
    }
}

/// What an entry in a provision's history did, as every face says it: what the register records ("switched on",
/// "amended H15.2, a part of it", "removed H, a provision above it") apart from what it only allows
/// ("amended provisions without listing them; may include this one").
pub fn history_change(item: &HistoryItem<'_>) -> String {
    let verb = change_verb(item.kind);
    match item.relation {
        Relation::Direct => verb.to_string(),
        Relation::Ancestor(id) => format!("{verb} {id} (a provision above it)"),
        Relation::Descendant(id) => format!("{verb} {id} (a part of it)"),
        Relation::Unlisted => format!("{verb} provisions without listing them; may include this one"),
    }
}

/// One entry of a provision's history as a sentence naming the entry: "switched on by version 4.1 (…)",
/// "H (a provision above it) amended by version 40.0 (…)", "version 2.2 (…) amended provisions without listing
/// them; may include this one".
pub fn history_sentence(item: &HistoryItem<'_>, today: Date) -> String {
    let entry = entry_ref(item.entry, today);
    let verb = change_verb(item.kind);
    match item.relation {
        Relation::Direct => format!("{verb} by {entry}"),
        Relation::Ancestor(id) => format!("{id} (a provision above it) {verb} by {entry}"),
        Relation::Descendant(id) => format!("{id} (a part of it) {verb} by {entry}"),
        Relation::Unlisted => format!("{entry} {}", history_change(item)),
    }
}

/// What a change of wording was, as every face says it: "wording first recorded" (a provision's first text
/// says when its wording was recorded, not that it was added then), "wording amended", "wording removed",
/// "wording added" (again, after a removal).
pub fn wording_change(event: &inforce_core::compare::TextEvent<'_>) -> &'static str {
    match (event.kind, event.previous) {
        (ChangeKind::Added, None) => "wording first recorded",
        (ChangeKind::Added, Some(_)) => "wording added",
        (ChangeKind::Removed, _) => "wording removed",
        _ => "wording amended",
    }
}

/// What a comparison knows of one provision's change, as every face says it: "amended, switched on (the
/// wording was compared)", "amended (the register lists it; no wording to compare)", or for one that changed and
/// changed back "added, removed in between, the same at both points (…)".
pub fn comparison_kinds(change: &inforce_core::compare::ProvisionComparison<'_>) -> String {
    let kinds: Vec<&str> = change.kinds.iter().map(|&k| change_verb(k)).collect();
    let kinds = match (kinds.is_empty(), change.sort) {
        (true, ChangeSort::InBetween) => "changed in between, the same at both points".to_string(),
        (false, ChangeSort::InBetween) => format!("{} in between, the same at both points", kinds.join(", ")),
        (true, sort) => sort.human().to_string(),
        (false, _) => kinds.join(", "),
    };
    let source = match change.known_from {
        inforce_core::compare::KnownFrom::Text => "the wording was compared",
        inforce_core::compare::KnownFrom::Register => "the register says so; no wording compared",
    };
    format!("{kinds} ({source})")
}

/// The name of one of an entry's change lists as every face shows it: the kind (`added`, `amended`, …), but
/// "held (earliest text recorded)" for what a baseline lists as added, since it did not add it (see
/// [`History::baseline`]).
pub fn change_list_name(history: &History, entry: &Entry, kind: ChangeKind) -> &'static str {
    if kind == ChangeKind::Added && history.baseline().is_some_and(|b| b.id == entry.id) {
        "held (earliest text recorded)"
    } else {
        kind.as_str()
    }
}

/// Said instead of "0 provisions match" by a search at a date before the register's first version: "The register
/// holds no text on 1 January 2010: its record begins with version v1 (…, 1 January 2016)."; `None` from the first
/// version on.
pub fn before_record(history: &History, date: Date, today: Date) -> Option<String> {
    if history.in_force(date).version.is_some() {
        return None;
    }
    let first = history.versions().into_iter().next()?;
    Some(format!(
        "The register holds no text on {}: its record begins with {}.",
        inforce_core::date::human_date(date),
        entry_ref(first, today)
    ))
}

/// Why a provision has its status, in one sentence.
pub fn status_reason(answer: &StatusAnswer<'_>, today: Date) -> String {
    let own = &answer.provision.id;
    let existence = match answer.existence {
        Basis::Change { entry, kind, provision } if provision == own => {
            format!("{} by {}", change_verb(kind), entry_ref(entry, today))
        }
        Basis::Change { entry, kind, provision } => {
            format!("follows {provision}, {} by {}", change_verb(kind), entry_ref(entry, today))
        }
        Basis::Commencement { entry } => {
            format!("no addition recorded, so taken as part of the code since its first {}", entry_ref(entry, today))
        }
        Basis::BeforeCode { first: Some(first) } => {
            format!("before the code's first {}", entry_ref(first, today))
        }
        Basis::BeforeCode { first: None } => "the register records no version of this code".to_string(),
        Basis::AddedLater { entry } => format!("to be added by {}", entry_ref(entry, today)),
        Basis::AdditionUnknown { provision } if provision == own => {
            "when it entered the text is not recorded, and nothing shows it in the text by this date".to_string()
        }
        Basis::AdditionUnknown { provision } => {
            format!("follows {provision}, whose entry into the text is not recorded and not shown by this date")
        }
        Basis::Evidence { entry, kind, provision } => {
            let what = match kind {
                Some(kind) if provision == own => format!(", which {} it", change_verb(kind)),
                Some(kind) => format!(", which {} {provision}, a part of it", change_verb(kind)),
                None if provision == own => String::new(),
                None => format!(", which shows {provision}, a part of it, in the text"),
            };
            format!("first named by {}{what}; when it entered the text is not recorded", entry_ref(entry, today))
        }
        Basis::FirstVersionIncomplete { entry, baseline: true, provision } => {
            let whom = if provision == own { String::new() } else { format!("follows {provision}: ") };
            format!(
                "{whom}the register's record begins with {}, which holds the earliest text recorded, and nothing \
                 shows it in the text by this date",
                entry_ref(entry, today)
            )
        }
        Basis::Baseline { entry, provision } => {
            let whom = if provision == own { String::new() } else { format!("follows {provision}: ") };
            format!(
                "{whom}in the text of {}, which holds the earliest text recorded; when it entered the text is not \
                 recorded",
                entry_ref(entry, today)
            )
        }
        Basis::BeforeRecord { first } => format!(
            "before the register's record begins: {} holds the earliest text recorded, and what stood before it \
             is not recorded",
            entry_ref(first, today)
        ),
        Basis::FirstVersionIncomplete { entry, baseline: false, provision } => {
            let whom = if provision == own { String::new() } else { format!("follows {provision}: ") };
            format!(
                "{whom}no addition is recorded, the list of what the code's first {} added is incomplete, and \
                 nothing shows it in the text by this date",
                entry_ref(entry, today)
            )
        }
        Basis::Undated { entry, kind, provision } => {
            let whom = if provision == own { "it".to_string() } else { provision.to_string() };
            format!(
                "{} {} {whom}, and when is not recorded: it may have happened by this date",
                entry_ref(entry, today),
                change_verb(kind)
            )
        }
        Basis::Initially { .. } | Basis::Default => String::new(),
    };
    let activity = match answer.activity {
        None | Some(Basis::Default) => String::new(),
        Some(Basis::Change { entry, kind, provision }) if provision == own => {
            format!("{} by {}", change_verb(kind), entry_ref(entry, today))
        }
        Some(Basis::Change { entry, kind, provision }) => {
            format!("follows {provision}, {} by {}", change_verb(kind), entry_ref(entry, today))
        }
        Some(Basis::Initially { provision }) if provision == own => {
            format!("{} from the moment it entered the text", state_word(answer))
        }
        Some(Basis::Initially { provision }) => {
            format!("follows {provision}, {} from the moment it entered the text", state_word(answer))
        }
        Some(_) => String::new(),
    };
    if let Some(above) = answer.held_back_by {
        // Whatever its presence, nothing under a provision that was not in force was in force.
        let name = match above.provision.kind {
            inforce_core::ProvisionKind::Section => format!("Section {}", above.provision.id),
            _ => above.provision.id.to_string(),
        };
        return format!(
            "not in force: {name} was {} (whether {own} was in the text then is not recorded)",
            above.status.human()
        );
    }
    match (existence.is_empty(), activity.is_empty()) {
        (false, false) => format!("{existence}; {activity}"),
        (false, true) => existence,
        (true, false) => activity,
        (true, true) => String::new(),
    }
}

fn state_word(answer: &StatusAnswer<'_>) -> &'static str {
    match answer.status {
        inforce_core::Status::Inactive => "switched off",
        _ => "switched on",
    }
}

/// How a planned change stands: "made by 5.5", "taken up by MP084", or "not yet tied to a proposal or version".
pub fn planned_tie(planned: &inforce_core::change::PlannedChange) -> String {
    match (&planned.proposal, &planned.version) {
        (_, Some(version)) => format!("made by {version}"),
        (Some(proposal), None) => format!("taken up by {proposal}"),
        (None, None) => "not yet tied to a proposal or version".to_string(),
    }
}

/// A point as people read it: "SEC 4.1 (26 January 2015)" for a version, "20 January 2015" for a date.
pub fn cut_label(cut: &inforce_core::point::Cut<'_>) -> String {
    match cut.entry {
        Some((entry, _)) => format!("{} ({})", entry.label(), entry.effective.human()),
        None => inforce_core::date::human_date(cut.date),
    }
}

/// Names joined by commas; past `most`, the first `most` and how many in all ("A, B … (40 in all)").
pub fn names(names: &[&str], most: usize) -> String {
    if names.len() <= most {
        names.join(", ")
    } else {
        format!("{} … ({} in all)", names[..most].join(", "), names.len())
    }
}

/// A stage of a change process by its label (its id when the process does not define it).
pub fn stage_label<'a>(process: &'a inforce_core::change::Process, id: &'a str) -> &'a str {
    process.stage(id).map_or(id, |s| s.label.as_str())
}

/// Where a proposal stands at the end of `day`, in words: the label of the last stage it reached by then (later
/// ones are scheduled); before it was raised, "raised on 10 January 2027 (to come)".
pub fn stage_on(
    process: &inforce_core::change::Process,
    proposal: &inforce_core::change::Proposal,
    day: Date,
) -> String {
    match proposal.reached_by(day).last() {
        Some(reached) => stage_label(process, &reached.stage).to_string(),
        None if proposal.stages.is_empty() => String::new(),
        None => format!("raised on {} (to come)", proposal.raised.human()),
    }
}

/// A status in words, as a list shows it: `in force`, `inactive`, …; for an unknown presence under a provision
/// that was not in force, `unknown, not in force`.
pub fn status_words(answer: &StatusAnswer<'_>) -> String {
    match (answer.status, answer.in_force) {
        (inforce_core::Status::Unknown, Some(false)) => "unknown, not in force".to_string(),
        (status, _) => status.human().to_string(),
    }
}

/// The days a page reads the same, in words ("from 26 January 2015 to 17 March 2015", "from 18 March 2015 on",
/// "until 25 January 2015"); `None` for a single day or a stretch without end either way.
pub fn stretch(stretch: &inforce_core::Stretch) -> Option<String> {
    use inforce_core::date::human_date;
    match (stretch.first, stretch.last) {
        (Some(first), Some(last)) if first != last => {
            Some(format!("from {} to {}", human_date(first), human_date(last)))
        }
        (Some(first), None) => Some(format!("from {} on", human_date(first))),
        (None, Some(last)) => Some(format!("until {}", human_date(last))),
        _ => None,
    }
}

/// Where a change list shown for an entry comes from: the register's sources, or the entry's recorded texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListSource {
    /// The register's list, as its sources give it.
    Register,
    /// What the entry's texts show it changed ([`History::text_lists`]).
    Texts,
}

impl ListSource {
    /// The JSON word: `register` or `texts`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Texts => "texts",
        }
    }
}

/// An entry's change lists as every face shows them, worked out once per entry ([`shown_lists`]).
pub struct ShownLists {
    /// One per kind, in [`ChangeKind::ALL`] order.
    lists: [(inforce_core::ChangeList, ListSource); 5],
    /// The wordings its texts record for the first time without the register recording their addition (they may
    /// have stood before, unrecorded); `None` when there are none.
    pub first_recorded: Option<inforce_core::ChangeList>,
}

impl ShownLists {
    /// The list of one kind, with where it comes from.
    pub fn of(&self, kind: ChangeKind) -> &(inforce_core::ChangeList, ListSource) {
        let at = ChangeKind::ALL.iter().position(|&k| k == kind).unwrap_or_default();
        &self.lists[at]
    }
}

/// An entry's change lists as every face shows them. For an entry that gave texts, each of added, amended and
/// removed is what its texts show, unless the register names a provision the texts do not show; `added` and
/// `amended` are then partial when the texts hold first wordings the register does not record as added (they
/// may have been added or amended by it: `first_recorded`). Otherwise, and for switches, the register's list.
pub fn shown_lists(history: &History, entry: &Entry) -> ShownLists {
    let texts = history.text_lists(entry);
    let lists = ChangeKind::ALL.map(|kind| {
        let register = entry.changes(kind);
        let Some((lists, shown)) = texts.as_ref().and_then(|t| Some((t, t.of(kind)?))) else {
            return (register.clone(), ListSource::Register);
        };
        let shown_set: std::collections::HashSet<&inforce_core::ProvisionId> = shown.iter().copied().collect();
        if register.listed.iter().any(|p| !shown_set.contains(p)) {
            return (register.clone(), ListSource::Register);
        }
        let listed: Vec<inforce_core::ProvisionId> = shown.iter().map(|p| (*p).clone()).collect();
        let partial = !lists.first_recorded.is_empty() && matches!(kind, ChangeKind::Added | ChangeKind::Amended);
        let list = if partial {
            inforce_core::ChangeList {
                listed,
                completeness: inforce_core::Completeness::Partial,
                note: Some(format!(
                    "its texts first record {} wording(s) whose earlier state is not recorded: it may have {} them",
                    lists.first_recorded.len(),
                    if kind == ChangeKind::Added { "added" } else { "amended" }
                )),
            }
        } else {
            inforce_core::ChangeList::complete(listed)
        };
        (list, ListSource::Texts)
    });
    let first_recorded = texts.filter(|t| !t.first_recorded.is_empty()).map(|t| inforce_core::ChangeList {
        note: Some("their earlier wording is not recorded: this version may have added or amended them".into()),
        ..inforce_core::ChangeList::complete(t.first_recorded.iter().map(|p| (*p).clone()).collect())
    });
    ShownLists { lists, first_recorded }
}

/// What a change list's completeness adds to its names: "and others not listed" when the sources name only
/// some of the provisions changed, "not listed in the sources (unknown)" when they name none; `None` when the
/// list is complete. The one wording of it every face uses.
pub fn unlisted(list: &inforce_core::ChangeList) -> Option<&'static str> {
    match (&list.completeness, list.listed.is_empty()) {
        (inforce_core::Completeness::Complete, _) => None,
        (_, false) => Some("and others not listed"),
        (_, true) => Some("not listed in the sources (unknown)"),
    }
}

/// A change list in words: its names (past `most`, the first `most` and how many in all), then what the
/// sources leave out ([`unlisted`]); `None` for a complete list that names nothing.
pub fn change_list(list: &inforce_core::ChangeList, most: usize) -> Option<String> {
    let listed: Vec<&str> = list.listed.iter().map(inforce_core::ProvisionId::as_str).collect();
    match (listed.is_empty(), unlisted(list)) {
        (true, None) => None,
        (true, Some(gap)) => Some(gap.to_string()),
        (false, None) => Some(names(&listed, most)),
        (false, Some(gap)) => Some(format!("{} {gap}", names(&listed, most))),
    }
}

/// What a comparison found, counted as every face says it: "1 added, 0 removed, 2 changed, 0 with only a new
/// status; 2 with a new status in all" (a provision added, removed or changed may have a new status too, so that
/// count is of every provision whose status differs), then, when some changed and changed back between the points,
/// "; 3 changed in between and back" (counted apart: the first counts are of what differs between the points).
pub fn comparison_counts(changes: &[inforce_core::compare::ProvisionComparison<'_>]) -> String {
    let count = |sort| changes.iter().filter(|c| c.sort == sort).count();
    let new_status = changes.iter().filter(|c| c.status.0 != c.status.1).count();
    let mut counts = format!(
        "{} added, {} removed, {} changed, {} with only a new status; {new_status} with a new status in all",
        count(ChangeSort::Added),
        count(ChangeSort::Removed),
        count(ChangeSort::Changed),
        count(ChangeSort::StatusChanged)
    );
    let in_between = count(ChangeSort::InBetween);
    if in_between > 0 {
        counts.push_str(&format!("; {in_between} changed in between and back"));
    }
    counts
}

/// Said when a code has no text recorded at all.
pub fn no_text_note(history: &History) -> String {
    format!(
        "No text is recorded in the {} register yet: it holds versions and statuses only.",
        history.register().code.id
    )
}

/// Why an answer about a day may miss a version, as whole sentences, or `None` when the register's record of
/// versions covers the day: "Versions between 4.2 (18 March 2015) and 5.4 (9 February 2017) are missing from this
/// register. {the gap's note}" in a gap; "This register's record of versions ends on 18 July 2022; a later version
/// may have taken effect that is not recorded here." past its end.
pub fn coverage_reason(history: &History, coverage: &inforce_core::coverage::Coverage<'_>) -> Option<String> {
    if let Some(gap) = coverage.gap {
        return Some(gap_sentence(history, gap));
    }
    let end = coverage.complete_until.filter(|_| coverage.unrecorded_versions_possible)?;
    Some(format!(
        "This register's record of versions ends on {}; a later version may have taken effect that is not recorded \
         here.",
        inforce_core::date::human_date(end.date)
    ))
}

/// A recorded gap in words: "Versions between 4.2 (18 March 2015) and 5.4 (9 February 2017) are missing from this
/// register. {its note, ended with a full stop}"
pub fn gap_sentence(history: &History, gap: &inforce_core::Gap) -> String {
    let when = |id: &inforce_core::EntryId| {
        history.entry(id).map(|e| format!(" ({})", e.effective.human())).unwrap_or_default()
    };
    let note = gap.note.trim();
    let note = match note.chars().last() {
        None => String::new(),
        Some('.' | '!' | '?') => format!(" {note}"),
        Some(_) => format!(" {note}."),
    };
    format!(
        "Versions between {}{} and {}{} are missing from this register.{note}",
        gap.after,
        when(&gap.after),
        gap.before,
        when(&gap.before)
    )
}

/// The version in force on a day as every face names it: "62.0", or "62.0, or a later version not recorded
/// here" when a version the register does not hold may have followed it.
pub fn version_on(version: &Entry, coverage: &inforce_core::coverage::Coverage<'_>) -> String {
    if coverage.unrecorded_versions_possible {
        format!("{}, or a later version not recorded here", version.id)
    } else {
        version.id.to_string()
    }
}

/// The banner a page or answer about a day shows once when versions may be missing, or `None`: "Statuses are
/// as of version 62.0, the latest recorded here on this day; a version not recorded here may have changed them.
/// This register's record of versions ends on 18 July 2022; …"
pub fn coverage_banner(
    history: &History,
    version: Option<&Entry>,
    coverage: &inforce_core::coverage::Coverage<'_>,
) -> Option<String> {
    let reason = coverage_reason(history, coverage)?;
    let as_of = match version {
        Some(version) => format!("Statuses are as of version {}, the latest recorded here on this day", version.id),
        None => "Statuses are as of the versions recorded here".to_string(),
    };
    Some(format!("{as_of}; a version not recorded here may have changed them. {reason}"))
}

/// The banner for an answer at a point: [`coverage_banner`] on a date, `None` at a version or event (the answer
/// is that entry's, whatever followed it).
pub fn cut_banner(history: &History, cut: &inforce_core::point::Cut<'_>) -> Option<String> {
    coverage_banner(history, history.in_force(cut.date).version, &history.coverage_at(cut))
}

/// What a stretch of time crosses that the record does not cover, or `None`: "It spans a gap in the register's
/// record (versions are missing between 4.2 and 5.4), so not every change in between is recorded here." and/or
/// "… it runs past the end of the register's record of versions (18 July 2022) …"; for comparisons and timelines.
pub fn stretch_coverage(history: &History, from: Date, to: Date) -> Option<String> {
    let (gaps, past_end) = history.gaps_between(from, to);
    let mut parts = Vec::new();
    if !gaps.is_empty() {
        let between: Vec<String> = gaps.iter().map(|g| format!("{} and {}", g.after, g.before)).collect();
        parts.push(format!(
            "it spans {} in the register's record (versions are missing between {}), so not every change in \
             between is recorded here",
            if gaps.len() == 1 { "a gap".to_string() } else { format!("{} gaps", gaps.len()) },
            between.join("; between ")
        ));
    }
    if past_end && let Some(end) = history.complete_until() {
        parts.push(format!(
            "it runs past the end of the register's record of versions ({}): a later version may not be recorded \
             here",
            inforce_core::date::human_date(end.date)
        ));
    }
    (!parts.is_empty()).then(|| {
        let mut text = parts.join("; ");
        text[..1].make_ascii_uppercase();
        text + "."
    })
}
