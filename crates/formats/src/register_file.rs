//! Register files: TOML in, [`Register`] out, and back. See `docs/register-format.md`.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

mod change;

use change::{DocumentIn, DocumentOut, PlannedIn, PlannedOut, ProcessIn, ProcessOut, ProposalIn, ProposalOut};
use inforce_core::change::{PlannedChange, Proposal};
use inforce_core::document::Document;
use inforce_core::{
    Activity, ChangeKind, ChangeList, Code, CodeId, Completeness, Consultation, Entry, EntryId, EntryKind,
    FirstVersion, FuzzyDate, Gap, Instrument, Location, Provision, ProvisionId, ProvisionKind, RecordBody, Register,
    validate,
};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// One problem in a register file, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// The file name as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Every problem found in a register file; the file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RegisterFileError {
    /// The problems, in file order.
    pub problems: Vec<FileProblem>,
}

impl fmt::Display for RegisterFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

/// Reads and checks a register file. `file` names it in messages. Every problem is reported, with its position.
pub fn parse_register(file: &str, text: &str) -> Result<Register, RegisterFileError> {
    parse_register_file(file, text).map(|read| read.register)
}

/// A register file read: the register, and the publication it was exported from (`base`), when it says.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterFile {
    /// The register it describes.
    pub register: Register,
    /// The publication of the code this file was exported from (`base = N`); `None` for a file written by hand.
    pub base: Option<i64>,
}

/// Reads and checks a register file, with its `base`. `file` names it in messages.
pub fn parse_register_file(file: &str, text: &str) -> Result<RegisterFile, RegisterFileError> {
    // Line ends never count: a file saved with CRLF reads exactly as the same file with LF (inside multi-line
    // strings too). Lines keep their numbers.
    let unix;
    let text = if text.contains("\r\n") {
        unix = text.replace("\r\n", "\n");
        unix.as_str()
    } else {
        text
    };
    let positions = Positions::new(file, text);
    let raw: FileIn = toml::from_str(text).map_err(|error| RegisterFileError {
        problems: vec![positions.problem(error.span().unwrap_or(0..0), error.message().trim().to_string())],
    })?;
    let mut reader = Reader::default();
    reader.problems.extend(string_problems(text));
    let base = raw.base.as_ref().map(|b| (*b.get_ref(), b.span()));
    if let Some((number, span)) = &base
        && *number < 1
    {
        reader.problem(span, format!("base {number} is not a publication number: they start at 1"));
    }
    let base = base.map(|(number, _)| number);
    let register = reader.register(raw);
    let mut problems: Vec<(usize, String)> = reader.problems;
    if let Some(register) = &register {
        for problem in validate(register) {
            let span = reader.spans.find(&problem.location);
            problems.push((span.start, problem.message));
        }
    }
    problems.sort_by_key(|(offset, _)| *offset);
    match register {
        Some(register) if problems.is_empty() => Ok(RegisterFile { register, base }),
        _ => Err(RegisterFileError {
            problems: problems
                .into_iter()
                .map(|(offset, message)| positions.problem(offset..offset, message))
                .collect(),
        }),
    }
}

/// Every string of the file that breaks [`inforce_core::validate::string_problem`]'s rules (a control character,
/// a field past its length limit), at the string's position. Walks the file's tables with a stack of its own.
fn string_problems(text: &str) -> Vec<(usize, String)> {
    use toml::de::{DeTable, DeValue};
    let Ok(root) = DeTable::parse(text) else { return Vec::new() };
    let mut problems = Vec::new();
    // (the key the value sits under, the value); problems are sorted by position afterwards.
    fn entries<'t, 'i>(table: &'t DeTable<'i>) -> impl Iterator<Item = (&'t str, &'t Spanned<DeValue<'i>>)> {
        table.iter().map(|(key, value)| (key.get_ref().as_ref(), value))
    }
    let mut stack: Vec<_> = entries(root.get_ref()).collect();
    while let Some((key, value)) = stack.pop() {
        match value.get_ref() {
            DeValue::String(string) => {
                if let Some(message) = inforce_core::validate::string_problem(key, string) {
                    problems.push((value.span().start, message));
                }
            }
            DeValue::Array(items) => stack.extend(items.iter().map(|item| (key, item))),
            DeValue::Table(inner) => stack.extend(entries(inner)),
            _ => {}
        }
    }
    problems
}

/// Writes a register as a register file; `parse_register` reads it back unchanged.
pub fn write_register(register: &Register) -> String {
    write_register_file(register, None)
}

/// Writes a register as a register file that names the publication it was exported from (`base = N`), so that
/// importing it again can tell what was published since.
pub fn write_register_file(register: &Register, base: Option<i64>) -> String {
    let mut out = FileOut {
        code: Some(CodeOut::from(&register.code)),
        provision: register.provisions.iter().map(ProvisionOut::from).collect(),
        ..FileOut::default()
    };
    for entry in &register.entries {
        match entry.kind {
            EntryKind::Version => out.version.push(EntryOut::from(entry)),
            EntryKind::Event => out.event.push(EntryOut::from(entry)),
        }
    }
    out.consultation = register.consultations.iter().map(ConsultationOut::from).collect();
    out.process = register.process.as_ref().map(ProcessOut::from);
    out.proposal = register.proposals.iter().map(ProposalOut::from).collect();
    out.planned = register.planned.iter().map(PlannedOut::from).collect();
    out.document = register.documents.iter().map(DocumentOut::from).collect();
    out.gap = register.gaps.iter().map(GapOut::from).collect();
    let mut header = format!("# Register of {} ({}), written by inforce.\n\n", register.code.title, register.code.id);
    if let Some(base) = base {
        header
            .push_str(&format!("# Exported from publication {base}: an import refuses to undo what came after it.\n"));
        header.push_str(&format!("base = {base}\n\n"));
    }
    header + &to_toml(&out)
}

/// Encodes one record as a register-file fragment (how stores keep record bodies).
pub fn encode_record(body: &RecordBody) -> String {
    to_toml(&file_of(body))
}

/// A record as JSON with the register file's field names: the one table [`encode_record`] writes, without the
/// file's table name around it (what the publication log gives as `record` beside the canonical text).
pub fn record_json(body: &RecordBody) -> serde_json::Value {
    use serde_json::Value;
    // Plain strings, lists and tables: serialising them cannot fail.
    let Ok(Value::Object(file)) = serde_json::to_value(file_of(body)) else { return Value::Null };
    match file.into_iter().next().map(|(_, table)| table) {
        // A list in the file (provisions, versions…) holds this one record.
        Some(Value::Array(tables)) => tables.into_iter().next().unwrap_or(Value::Null),
        Some(table) => table,
        None => Value::Null,
    }
}

/// A register file holding only `body`.
fn file_of(body: &RecordBody) -> FileOut {
    let mut out = FileOut::default();
    match body {
        RecordBody::Code(code) => out.code = Some(CodeOut::from(code)),
        RecordBody::Provision(provision) => out.provision.push(ProvisionOut::from(provision)),
        RecordBody::Entry(entry) if entry.kind == EntryKind::Version => out.version.push(EntryOut::from(entry)),
        RecordBody::Entry(entry) => out.event.push(EntryOut::from(entry)),
        RecordBody::Consultation(consultation) => out.consultation.push(ConsultationOut::from(consultation)),
        RecordBody::Process(process) => out.process = Some(ProcessOut::from(process)),
        RecordBody::Proposal(proposal) => out.proposal.push(ProposalOut::from(proposal)),
        RecordBody::Planned(planned) => out.planned.push(PlannedOut::from(planned)),
        RecordBody::Document(document) => out.document.push(DocumentOut::from(document)),
        RecordBody::Gap(gap) => out.gap.push(GapOut::from(gap)),
    }
    out
}

/// Decodes a record written by [`encode_record`]; the error says what is wrong with the stored text.
pub fn decode_record(text: &str) -> Result<RecordBody, String> {
    let raw: FileIn = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let mut reader = Reader::default();
    let mut bodies = Vec::new();
    if let Some(code) = raw.code {
        bodies.extend(reader.code(code).map(RecordBody::Code));
    }
    for p in raw.provision {
        bodies.extend(reader.provision(p).map(RecordBody::Provision));
    }
    for (kind, list) in [(EntryKind::Version, raw.version), (EntryKind::Event, raw.event)] {
        for e in list {
            bodies.extend(reader.entry(e, kind).map(RecordBody::Entry));
        }
    }
    for c in raw.consultation {
        bodies.extend(reader.consultation(c).map(RecordBody::Consultation));
    }
    if let Some(p) = raw.process {
        bodies.extend(reader.process(p).map(RecordBody::Process));
    }
    for p in raw.proposal {
        bodies.extend(reader.proposal(p).map(RecordBody::Proposal));
    }
    for p in raw.planned {
        bodies.extend(reader.planned(p).map(RecordBody::Planned));
    }
    for d in raw.document {
        bodies.extend(reader.document(d).map(RecordBody::Document));
    }
    for g in raw.gap {
        bodies.extend(reader.gap(g).map(RecordBody::Gap));
    }
    if let Some((_, message)) = reader.problems.first() {
        return Err(message.clone());
    }
    match <[RecordBody; 1]>::try_from(bodies) {
        Ok([body]) => Ok(body),
        Err(bodies) => Err(format!("expected one record, found {}", bodies.len())),
    }
}

fn to_toml(out: &FileOut) -> String {
    // Serialising plain strings, lists and tables cannot fail; an error here is a bug in the Out types.
    toml::to_string(out).unwrap_or_else(|e| format!("# could not write register: {e}\n"))
}

/// Maps byte offsets to lines and columns.
struct Positions<'a> {
    file: &'a str,
    text: &'a str,
}

impl<'a> Positions<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        Self { file, text }
    }

    fn problem(&self, span: Range<usize>, message: String) -> FileProblem {
        let offset = span.start.min(self.text.len());
        let before = &self.text[..self.text.floor_char_boundary(offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        FileProblem { file: self.file.to_string(), line, column, message }
    }
}

/// Byte ranges of an item's fields, by field name ("" for the whole item).
type FieldSpans = HashMap<&'static str, Range<usize>>;
/// Byte ranges of each item of a change list, by list name.
type ItemSpans = HashMap<&'static str, Vec<Range<usize>>>;

/// Where each field of each item was in the file, so rule violations found later get positions.
#[derive(Default)]
struct Spans {
    code: HashMap<&'static str, Range<usize>>,
    provisions: Vec<HashMap<&'static str, Range<usize>>>,
    /// Per entry: its fields, and the position of each item of its change lists.
    entries: Vec<(FieldSpans, ItemSpans)>,
    consultations: Vec<HashMap<&'static str, Range<usize>>>,
    /// The process's fields, and the position of each stage, path, flag and move.
    process: (FieldSpans, ItemSpans),
    /// Per proposal: its fields, and the position of each recorded stage and list item.
    proposals: Vec<(FieldSpans, ItemSpans)>,
    planned: Vec<FieldSpans>,
    documents: Vec<(FieldSpans, ItemSpans)>,
    gaps: Vec<FieldSpans>,
}

impl Spans {
    fn find(&self, location: &Location) -> Range<usize> {
        let field_of = |map: Option<&HashMap<&'static str, Range<usize>>>, field: &str| {
            map.and_then(|m| m.get(field).or_else(|| m.get("")).cloned()).unwrap_or(0..0)
        };
        match location {
            Location::Code { field } => field_of(Some(&self.code), field),
            Location::Provision { index, field } => field_of(self.provisions.get(*index), field),
            Location::Consultation { index, field } => field_of(self.consultations.get(*index), field),
            Location::Entry { index, field, item } => {
                let Some((fields, items)) = self.entries.get(*index) else { return 0..0 };
                item.and_then(|i| items.get(field).and_then(|list| list.get(i)).cloned())
                    .unwrap_or_else(|| field_of(Some(fields), field))
            }
            Location::Process { field, item } => {
                let (fields, items) = &self.process;
                item.and_then(|i| items.get(field).and_then(|list| list.get(i)).cloned())
                    .unwrap_or_else(|| field_of(Some(fields), field))
            }
            Location::Proposal { index, field, item } => {
                let Some((fields, items)) = self.proposals.get(*index) else { return 0..0 };
                item.and_then(|i| items.get(field).and_then(|list| list.get(i)).cloned())
                    .unwrap_or_else(|| field_of(Some(fields), field))
            }
            Location::Planned { index, field } => field_of(self.planned.get(*index), field),
            Location::Gap { index, field } => field_of(self.gaps.get(*index), field),
            Location::Document { index, field, item } => {
                let Some((fields, items)) = self.documents.get(*index) else { return 0..0 };
                item.and_then(|i| items.get(field).and_then(|list| list.get(i)).cloned())
                    .unwrap_or_else(|| field_of(Some(fields), field))
            }
        }
    }
}

/// Turns the raw TOML tables into the model, collecting problems with their byte offsets.
#[derive(Default)]
struct Reader {
    problems: Vec<(usize, String)>,
    spans: Spans,
}

impl Reader {
    fn problem(&mut self, span: &Range<usize>, message: String) {
        self.problems.push((span.start, message));
    }

    fn register(&mut self, raw: FileIn) -> Option<Register> {
        if let Some(format) = &raw.format
            && *format.get_ref() != 1
        {
            self.problem(
                &format.span(),
                format!("unsupported format {}: this inforce reads format 1", format.get_ref()),
            );
        }
        let code = match raw.code {
            Some(code) => self.code(code),
            None => {
                self.problem(&(0..0), "missing [code] table: a register file starts with [code] (id, title)".into());
                None
            }
        };
        let provisions: Vec<Option<Provision>> = raw.provision.into_iter().map(|p| self.provision(p)).collect();
        let mut entries = Vec::new();
        for (kind, list) in [(EntryKind::Version, raw.version), (EntryKind::Event, raw.event)] {
            for e in list {
                entries.push(self.entry(e, kind));
            }
        }
        let consultations: Vec<Option<Consultation>> =
            raw.consultation.into_iter().map(|c| self.consultation(c)).collect();
        let process = raw.process.map(|process| self.process(process));
        let proposals: Vec<Option<Proposal>> = raw.proposal.into_iter().map(|p| self.proposal(p)).collect();
        let planned: Vec<Option<PlannedChange>> = raw.planned.into_iter().map(|p| self.planned(p)).collect();
        let documents: Vec<Option<Document>> = raw.document.into_iter().map(|d| self.document(d)).collect();
        let gaps: Vec<Option<Gap>> = raw.gap.into_iter().map(|g| self.gap(g)).collect();
        Some(Register {
            code: code?,
            provisions: provisions.into_iter().collect::<Option<_>>()?,
            entries: entries.into_iter().collect::<Option<_>>()?,
            consultations: consultations.into_iter().collect::<Option<_>>()?,
            process: match process {
                Some(process) => Some(process?),
                None => None,
            },
            proposals: proposals.into_iter().collect::<Option<_>>()?,
            planned: planned.into_iter().collect::<Option<_>>()?,
            documents: documents.into_iter().collect::<Option<_>>()?,
            gaps: gaps.into_iter().collect::<Option<_>>()?,
        })
    }

    fn gap(&mut self, raw: Spanned<GapIn>) -> Option<Gap> {
        let span = raw.span();
        let raw = raw.into_inner();
        self.spans.gaps.push(HashMap::from([("", span), ("after", raw.after.span()), ("before", raw.before.span())]));
        let mut id = |raw: &Spanned<String>| {
            EntryId::parse(raw.get_ref()).map_err(|e| self.problem(&raw.span(), e.to_string())).ok()
        };
        let (after, before) = (id(&raw.after), id(&raw.before));
        Some(Gap { after: after?, before: before?, note: raw.note })
    }

    fn code(&mut self, raw: Spanned<CodeIn>) -> Option<Code> {
        let span = raw.span();
        let raw = raw.into_inner();
        self.spans.code = HashMap::from([("", span), ("id", raw.id.span()), ("title", raw.title.span())]);
        if let Some(zone) = &raw.time_zone {
            self.spans.code.insert("time_zone", zone.span());
        }
        let complete_until = match &raw.versions_complete_until {
            None => Some(None),
            Some(text) => match FuzzyDate::parse(text.get_ref()) {
                Ok(FuzzyDate::Day(date)) => Some(Some(date)),
                _ => {
                    let message =
                        format!("versions_complete_until is '{}': expected a day, YYYY-MM-DD", text.get_ref());
                    self.problem(&text.span(), message);
                    None
                }
            },
        };
        let first_version = match &raw.first_version {
            None => Some(FirstVersion::Origin),
            Some(word) => {
                let parsed = FirstVersion::parse(word.get_ref());
                if parsed.is_none() {
                    self.problem(
                        &word.span(),
                        format!("first_version is '{}': expected baseline or origin", word.get_ref()),
                    );
                }
                parsed
            }
        };
        let id = match CodeId::parse(raw.id.get_ref()) {
            Ok(id) => Some(id),
            Err(e) => {
                self.problem(&raw.id.span(), e.to_string());
                None
            }
        };
        Some(Code {
            id: id?,
            title: raw.title.into_inner(),
            description: raw.description,
            sources: raw.sources,
            time_zone: raw.time_zone.map(Spanned::into_inner),
            versions_complete_until: complete_until?,
            first_version: first_version?,
        })
    }

    fn provision_id(&mut self, raw: &Spanned<String>) -> Option<ProvisionId> {
        ProvisionId::parse(raw.get_ref()).map_err(|e| self.problem(&raw.span(), e.to_string())).ok()
    }

    fn date(&mut self, raw: &Spanned<String>) -> Option<FuzzyDate> {
        FuzzyDate::parse(raw.get_ref()).map_err(|e| self.problem(&raw.span(), e.to_string())).ok()
    }

    fn provision(&mut self, raw: Spanned<ProvisionIn>) -> Option<Provision> {
        let span = raw.span();
        let raw = raw.into_inner();
        let mut fields = HashMap::from([("", span.clone()), ("id", raw.id.span()), ("kind", raw.kind.span())]);
        if let Some(parent) = &raw.parent {
            fields.insert("parent", parent.span());
        }
        if let Some(present_by) = &raw.present_by {
            fields.insert("present_by", present_by.span());
        }
        self.spans.provisions.push(fields);
        let id = self.provision_id(&raw.id);
        let parent = match &raw.parent {
            None => Some(None),
            Some(parent) => self.provision_id(parent).map(Some),
        };
        let kind = ProvisionKind::parse(raw.kind.get_ref());
        if kind.is_none() {
            let expected: Vec<&str> = ProvisionKind::ALL.iter().map(|k| k.as_str()).collect();
            self.problem(
                &raw.kind.span(),
                format!("unknown provision kind '{}': expected one of {}", raw.kind.get_ref(), expected.join(", ")),
            );
        }
        let addition_unknown = match &raw.added {
            None => Some(false),
            Some(added) if added.get_ref() == "unknown" => Some(true),
            Some(added) => {
                self.problem(
                    &added.span(),
                    format!(
                        "a provision's 'added' can only be \"unknown\" (found '{}'); say which version added it \
                         in that version's 'added' list",
                        added.get_ref()
                    ),
                );
                None
            }
        };
        let initially = match &raw.initially {
            None => Some(None),
            Some(state) => match Activity::parse(state.get_ref()) {
                Some(activity) => Some(Some(activity)),
                None => {
                    self.problem(
                        &state.span(),
                        format!("unknown state '{}': expected \"active\" or \"inactive\"", state.get_ref()),
                    );
                    None
                }
            },
        };
        let present_by = match &raw.present_by {
            None => Some(None),
            Some(entry) => {
                EntryId::parse(entry.get_ref()).map_err(|e| self.problem(&entry.span(), e.to_string())).ok().map(Some)
            }
        };
        Some(Provision {
            id: id?,
            parent: parent?,
            present_by: present_by?,
            kind: kind?,
            title: raw.title,
            addition_unknown: addition_unknown?,
            initially: initially?,
            sources: raw.sources,
            confidence: raw.confidence,
            note: raw.note,
        })
    }

    fn entry(&mut self, raw: Spanned<EntryIn>, kind: EntryKind) -> Option<Entry> {
        let span = raw.span();
        let raw = raw.into_inner();
        let mut fields = HashMap::from([
            ("", span),
            ("id", raw.id.span()),
            ("effective", raw.effective.span()),
            ("instrument", raw.instrument.span()),
        ]);
        let mut items = HashMap::new();
        let id = EntryId::parse(raw.id.get_ref()).map_err(|e| self.problem(&raw.id.span(), e.to_string())).ok();
        let effective = self.date(&raw.effective);
        let made = match &raw.made {
            Some(made) => self.date(made),
            None => Some(FuzzyDate::Unknown),
        };
        let instrument = Instrument::parse(raw.instrument.get_ref());
        if instrument.is_none() {
            let expected: Vec<&str> = Instrument::ALL.iter().map(|i| i.as_str()).collect();
            self.problem(
                &raw.instrument.span(),
                format!("unknown instrument '{}': expected one of {}", raw.instrument.get_ref(), expected.join(", ")),
            );
        }
        let lists = [
            (ChangeKind::Added, raw.added, raw.added_complete, raw.added_note),
            (ChangeKind::Amended, raw.amended, raw.amended_complete, raw.amended_note),
            (ChangeKind::Removed, raw.removed, raw.removed_complete, raw.removed_note),
            (ChangeKind::Activated, raw.activated, raw.activated_complete, raw.activated_note),
            (ChangeKind::Deactivated, raw.deactivated, raw.deactivated_complete, raw.deactivated_note),
        ];
        let mut changes = Vec::new();
        let mut lists_ok = true;
        for (change, listed, complete, note) in lists {
            let listed = listed.map(Spanned::into_inner).unwrap_or_default();
            items.insert(change.as_str(), listed.iter().map(Spanned::span).collect::<Vec<_>>());
            if let Some(first) = listed.first() {
                fields.insert(change.as_str(), first.span());
            }
            let ids: Vec<Option<ProvisionId>> = listed.iter().map(|p| self.provision_id(p)).collect();
            lists_ok &= ids.iter().all(Option::is_some);
            let listed: Vec<ProvisionId> = ids.into_iter().flatten().collect();
            let completeness = match (complete.unwrap_or(true), listed.is_empty()) {
                (true, _) => Completeness::Complete,
                (false, false) => Completeness::Partial,
                (false, true) => Completeness::Unlisted,
            };
            changes.push((change, ChangeList { listed, completeness, note }));
        }
        self.spans.entries.push((fields, items));
        let mut entry = Entry::new(id?, kind, effective?, instrument?);
        entry.made = made?;
        entry.title = raw.title;
        entry.summary = raw.summary.unwrap_or_default();
        entry.sources = raw.sources;
        entry.confidence = raw.confidence;
        entry.notes = raw.notes;
        for (change, list) in changes {
            *entry.changes_mut(change) = list;
        }
        lists_ok.then_some(entry)
    }

    fn consultation(&mut self, raw: Spanned<ConsultationIn>) -> Option<Consultation> {
        let span = raw.span();
        let raw = raw.into_inner();
        let mut fields = HashMap::from([("", span.clone()), ("id", raw.id.span())]);
        let published = match &raw.published {
            Some(date) => {
                fields.insert("published", date.span());
                self.date(date)
            }
            None => Some(FuzzyDate::Unknown),
        };
        let closes = match &raw.closes {
            Some(date) => {
                fields.insert("closes", date.span());
                self.date(date)
            }
            None => Some(FuzzyDate::Unknown),
        };
        self.spans.consultations.push(fields);
        let id = raw.id.into_inner();
        if id.trim().is_empty() {
            self.problem(&span, "a consultation needs a non-empty id".into());
            return None;
        }
        let led_to = self.entry_ids(raw.led_to.as_ref());
        let concerns = self.attachments(raw.concerns.as_ref());
        Some(Consultation {
            id,
            title: raw.title,
            published: published?,
            closes: closes?,
            topics: raw.topics,
            led_to: led_to?,
            concerns: concerns?,
            responses: raw.responses,
            sources: raw.sources,
            confidence: raw.confidence,
            notes: raw.notes,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    format: Option<Spanned<i64>>,
    base: Option<Spanned<i64>>,
    code: Option<Spanned<CodeIn>>,
    #[serde(default)]
    provision: Vec<Spanned<ProvisionIn>>,
    #[serde(default)]
    version: Vec<Spanned<EntryIn>>,
    #[serde(default)]
    event: Vec<Spanned<EntryIn>>,
    #[serde(default)]
    consultation: Vec<Spanned<ConsultationIn>>,
    process: Option<Spanned<ProcessIn>>,
    #[serde(default)]
    proposal: Vec<Spanned<ProposalIn>>,
    #[serde(default)]
    planned: Vec<Spanned<PlannedIn>>,
    #[serde(default)]
    document: Vec<Spanned<DocumentIn>>,
    #[serde(default)]
    gap: Vec<Spanned<GapIn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeIn {
    id: Spanned<String>,
    title: Spanned<String>,
    description: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    time_zone: Option<Spanned<String>>,
    versions_complete_until: Option<Spanned<String>>,
    first_version: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GapIn {
    after: Spanned<String>,
    before: Spanned<String>,
    #[serde(default)]
    note: String,
}

#[derive(Serialize)]
struct GapOut {
    after: String,
    before: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    note: String,
}

impl From<&Gap> for GapOut {
    fn from(gap: &Gap) -> Self {
        Self { after: gap.after.to_string(), before: gap.before.to_string(), note: gap.note.clone() }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvisionIn {
    id: Spanned<String>,
    kind: Spanned<String>,
    parent: Option<Spanned<String>>,
    title: Option<String>,
    added: Option<Spanned<String>>,
    present_by: Option<Spanned<String>>,
    initially: Option<Spanned<String>>,
    #[serde(default)]
    sources: Vec<String>,
    confidence: Option<String>,
    note: Option<String>,
}

type SpannedList = Option<Spanned<Vec<Spanned<String>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryIn {
    id: Spanned<String>,
    title: Option<String>,
    effective: Spanned<String>,
    made: Option<Spanned<String>>,
    instrument: Spanned<String>,
    summary: Option<String>,
    added: SpannedList,
    added_complete: Option<bool>,
    added_note: Option<String>,
    amended: SpannedList,
    amended_complete: Option<bool>,
    amended_note: Option<String>,
    removed: SpannedList,
    removed_complete: Option<bool>,
    removed_note: Option<String>,
    activated: SpannedList,
    activated_complete: Option<bool>,
    activated_note: Option<String>,
    deactivated: SpannedList,
    deactivated_complete: Option<bool>,
    deactivated_note: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    confidence: Option<String>,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsultationIn {
    id: Spanned<String>,
    title: String,
    published: Option<Spanned<String>>,
    closes: Option<Spanned<String>>,
    #[serde(default)]
    topics: Vec<String>,
    led_to: SpannedList,
    concerns: SpannedList,
    #[serde(default)]
    responses: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    confidence: Option<String>,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Serialize, Default)]
struct FileOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<CodeOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    provision: Vec<ProvisionOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    version: Vec<EntryOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    event: Vec<EntryOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    gap: Vec<GapOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    consultation: Vec<ConsultationOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    process: Option<ProcessOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    proposal: Vec<ProposalOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    planned: Vec<PlannedOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    document: Vec<DocumentOut>,
}

#[derive(Serialize)]
struct CodeOut {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    versions_complete_until: Option<String>,
    /// Written only when it is not the default (`origin`), so older files read as they were written.
    #[serde(skip_serializing_if = "Option::is_none")]
    first_version: Option<&'static str>,
}

impl From<&Code> for CodeOut {
    fn from(code: &Code) -> Self {
        Self {
            id: code.id.to_string(),
            title: code.title.clone(),
            description: code.description.clone(),
            sources: code.sources.clone(),
            time_zone: code.time_zone.clone(),
            versions_complete_until: code.versions_complete_until.map(|d| d.to_string()),
            first_version: (code.first_version != FirstVersion::Origin).then_some(code.first_version.as_str()),
        }
    }
}

#[derive(Serialize)]
struct ProvisionOut {
    id: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    added: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    present_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    initially: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl From<&Provision> for ProvisionOut {
    fn from(p: &Provision) -> Self {
        Self {
            id: p.id.to_string(),
            kind: p.kind.as_str(),
            parent: p.parent.as_ref().map(ToString::to_string),
            title: p.title.clone(),
            added: p.addition_unknown.then_some("unknown"),
            present_by: p.present_by.as_ref().map(ToString::to_string),
            initially: p.initially.map(Activity::as_str),
            sources: p.sources.clone(),
            confidence: p.confidence.clone(),
            note: p.note.clone(),
        }
    }
}

#[derive(Serialize)]
struct EntryOut {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    effective: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    made: Option<String>,
    instrument: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    summary: String,
    #[serde(flatten)]
    changes: toml::Table,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

impl From<&Entry> for EntryOut {
    fn from(e: &Entry) -> Self {
        let mut changes = toml::Table::new();
        for kind in ChangeKind::ALL {
            let list = e.changes(kind);
            if list.is_known_empty() && list.note.is_none() {
                continue;
            }
            let ids = list.listed.iter().map(|p| toml::Value::String(p.to_string())).collect();
            changes.insert(kind.as_str().to_string(), toml::Value::Array(ids));
            if list.completeness != Completeness::Complete {
                changes.insert(format!("{}_complete", kind.as_str()), toml::Value::Boolean(false));
            }
            if let Some(note) = &list.note {
                changes.insert(format!("{}_note", kind.as_str()), toml::Value::String(note.clone()));
            }
        }
        Self {
            id: e.id.to_string(),
            title: e.title.clone(),
            effective: e.effective.to_string(),
            made: (!e.made.is_unknown()).then(|| e.made.to_string()),
            instrument: e.instrument.as_str(),
            summary: e.summary.clone(),
            changes,
            sources: e.sources.clone(),
            confidence: e.confidence.clone(),
            notes: e.notes.clone(),
        }
    }
}

#[derive(Serialize)]
struct ConsultationOut {
    id: String,
    title: String,
    published: String,
    closes: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    topics: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    led_to: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    concerns: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    responses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

impl From<&Consultation> for ConsultationOut {
    fn from(c: &Consultation) -> Self {
        Self {
            id: c.id.clone(),
            title: c.title.clone(),
            published: c.published.to_string(),
            closes: c.closes.to_string(),
            topics: c.topics.clone(),
            led_to: c.led_to.iter().map(ToString::to_string).collect(),
            concerns: c.concerns.iter().map(ToString::to_string).collect(),
            responses: c.responses.clone(),
            sources: c.sources.clone(),
            confidence: c.confidence.clone(),
            notes: c.notes.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_names_its_base_and_reads_it_back() {
        let register = parse_register("small.toml", SMALL).expect("valid");
        let written = write_register_file(&register, Some(12));
        assert_eq!(
            parse_register_file("x.toml", &written),
            Ok(RegisterFile { register: register.clone(), base: Some(12) })
        );
        assert_eq!(parse_register_file("x.toml", &write_register(&register)).map(|r| r.base), Ok(None));
        let bad = format!("base = 0\n{SMALL}");
        let problems = parse_register_file("bad.toml", &bad).expect_err("refused").to_string();
        assert_eq!(problems, "bad.toml:1:8: base 0 is not a publication number: they start at 1");
    }

    const SMALL: &str = r#"
[code]
id = "SEC"
title = "Smart Energy Code"

[[provision]]
id = "H"
kind = "section"
initially = "inactive"

[[provision]]
id = "h15"
kind = "subsection"
parent = "Section H"

[[provision]]
id = "Appendix G"
kind = "appendix"
added = "unknown"
present_by = "4.1"

[[version]]
id = "2.0"
effective = "2014-03-31"
made = "2014-01"
instrument = "designation"
amended = []
amended_complete = false
amended_note = "list not given"

[[version]]
id = "4.1"
effective = "2015-01-26"
instrument = "designation"
added = ["Appendix G"]
amended = ["H15"]
amended_complete = false
activated = ["H15"]
notes = ["two sources disagree"]

[[event]]
id = "direction"
effective = "2015-04-24"
instrument = "sos_direction"

[[consultation]]
id = "SEC4"
title = "Stage 4"
published = "2014-06-30"
closes = "2014-08-25"
topics = ["hubs"]
"#;

    fn problems(text: &str) -> Vec<String> {
        match parse_register("reg.toml", text) {
            Ok(_) => vec![],
            Err(e) => e.problems.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn reads_spellings_canonically_and_round_trips() {
        let register = parse_register("reg.toml", SMALL).expect("valid register");
        assert_eq!(register.code.id.as_str(), "sec");
        let ids: Vec<&str> = register.provisions.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, vec!["H", "H15", "APP-G"]);
        assert_eq!(register.entries[0].amended.completeness, Completeness::Unlisted);
        assert_eq!(register.entries[1].amended.completeness, Completeness::Partial);
        let written = write_register(&register);
        let again = parse_register("export.toml", &written).expect("export reads back");
        assert_eq!(again, register);
        assert_eq!(write_register(&again), written);
    }

    #[test]
    fn records_encode_and_decode() {
        let register = parse_register("reg.toml", SMALL).expect("valid register");
        let bodies = [
            RecordBody::Code(register.code.clone()),
            RecordBody::Provision(register.provisions[1].clone()),
            RecordBody::Entry(register.entries[1].clone()),
            RecordBody::Entry(register.entries[2].clone()),
            RecordBody::Consultation(register.consultations[0].clone()),
        ];
        for body in bodies {
            assert_eq!(decode_record(&encode_record(&body)), Ok(body));
        }
    }

    #[test]
    fn a_record_as_json_is_its_table_with_the_register_file_s_names() {
        let register = parse_register("reg.toml", SMALL).expect("valid register");
        let provision = &register.provisions[1];
        let json = record_json(&RecordBody::Provision(provision.clone()));
        assert_eq!(json["id"], provision.id.as_str(), "{json}");
        assert_eq!(json.get("parent").and_then(|p| p.as_str()), provision.parent.as_ref().map(|p| p.as_str()));
        // The same fields the canonical text holds, one for one.
        let text: toml::Table =
            toml::from_str(&encode_record(&RecordBody::Provision(provision.clone()))).expect("toml");
        let table = text["provision"].as_array().and_then(|a| a.first()).and_then(|t| t.as_table()).expect("table");
        let names = |keys: Vec<&String>| keys.into_iter().cloned().collect::<Vec<_>>();
        assert_eq!(names(json.as_object().expect("object").keys().collect()), names(table.keys().collect()));
        // A table that is not a list in the file (the code) is given as it is.
        let code = record_json(&RecordBody::Code(register.code.clone()));
        assert_eq!(code["id"], register.code.id.as_str(), "{code}");
        let version = record_json(&RecordBody::Entry(register.entries[1].clone()));
        assert_eq!(version["id"], register.entries[1].id.as_str(), "{version}");
    }

    #[test]
    fn control_characters_and_oversized_fields_are_refused_at_their_position() {
        // A bell in a title (escaped, as TOML requires), an escape sequence in a list item of a version and in
        // a note of a nested table: each named at the string's line and column.
        let bad = SMALL.replacen("title = \"Smart Energy Code\"", "title = \"Smart \\u0007Energy\"", 1).replacen(
            "amended_note = \"list not given\"",
            "amended_note = \"list \\u001b[31m\"",
            1,
        );
        let found = problems(&bad);
        assert_eq!(
            found,
            [
                "reg.toml:4:9: `title` holds the control character U+0007: only tab and line ends are allowed",
                "reg.toml:29:16: `amended_note` holds the control character U+001B: only tab and line ends are allowed",
            ]
        );
        let huge = SMALL.replacen("Smart Energy Code", &"x".repeat(10 * 1024 * 1024), 1);
        assert_eq!(
            problems(&huge),
            ["reg.toml:4:9: `title` is longer than 1000 characters (10485760 bytes); shorten it"]
        );
        let sources = SMALL.replacen(
            "[[provision]]\nid = \"H\"",
            "[[provision]]\nid = \"H\"\nsources = [\"ok\", \"bad\\u0000\"]",
            1,
        );
        assert_eq!(
            problems(&sources),
            ["reg.toml:8:18: `sources` holds the control character U+0000: only tab and line ends are allowed"]
        );
        // Tabs and line ends stay allowed, in prose as long as its limit.
        let prose = SMALL.replacen("list not given", &format!("a\\tb\\r\\n{}", "y".repeat(15_000)), 1);
        assert!(parse_register("reg.toml", &prose).is_ok());
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let found = problems("[code]\nid = \"sec\"\ntitle = \"x\"\n\n[[version]]\nid = 4.2\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("reg.toml:6:6: invalid type: floating point"), "{}", found[0]);
        let found = problems("[code]\nid = \"sec\"\ntitle = \"x\"\ncolour = \"red\"\n");
        assert!(found[0].starts_with("reg.toml:4:1: unknown field `colour`"), "{}", found[0]);
    }

    #[test]
    fn every_rule_violation_is_reported_with_its_position() {
        let text = r#"[code]
id = "sec"
title = "x"

[[provision]]
id = "A"
kind = "section"

[[provision]]
id = "A"
kind = "chapter"

[[version]]
id = "2.0"
effective = "2014-03-31"
instrument = "designation"
amended = ["A", "Q9"]

[[version]]
id = "1.0"
effective = "2013-02-30"
instrument = "decree"

[[version]]
id = "1.1"
effective = "2013-09-27"
instrument = "designation"
"#;
        assert_eq!(
            problems(text),
            vec![
                "reg.toml:11:8: unknown provision kind 'chapter': expected one of section, subsection, schedule, \
                 appendix, paragraph, article",
                "reg.toml:21:13: '2013-02-30' is not a valid date: expected YYYY-MM-DD, YYYY-MM, YYYY or 'unknown'",
                "reg.toml:22:14: unknown instrument 'decree': expected one of designation, sos_variation, \
                 sos_direction, modification, modification+designation, authority_led_variation, unknown",
            ]
        );
        let fixed =
            text.replace("chapter", "section").replace("2013-02-30", "2013-02-28").replace("decree", "designation");
        assert_eq!(
            problems(&fixed),
            vec![
                "reg.toml:10:6: duplicate provision id 'A': each provision is declared once",
                "reg.toml:17:17: version 2.0 names unknown provision 'Q9': declare it as a [[provision]] first",
                "reg.toml:21:13: version 1.0 takes effect on 2013-02-28 but version 2.0, listed before it, takes \
                 effect on 2014-03-31: list versions in date order",
                "reg.toml:26:13: version 1.1 takes effect on 2013-09-27 but version 2.0, listed before it, takes \
                 effect on 2014-03-31: list versions in date order",
            ]
        );
    }

    #[test]
    fn where_the_record_ends_its_first_version_and_its_gaps_read_back_or_are_refused_at_their_position() {
        let text = r#"[code]
id = "sec"
title = "x"
versions_complete_until = "2022-07-18"
first_version = "baseline"

[[version]]
id = "4.2"
effective = "2015-03-18"
instrument = "designation"

[[version]]
id = "5.4"
effective = "2017-02-09"
instrument = "designation"

[[gap]]
after = "4.2"
before = "5.4"
note = "4.3 to 5.3 not found"
"#;
        let register = parse_register("reg.toml", text).expect("valid register");
        assert_eq!(register.code.versions_complete_until, Some("2022-07-18".parse().expect("date")));
        assert_eq!(register.code.first_version, inforce_core::FirstVersion::Baseline);
        assert_eq!(register.gaps.len(), 1);
        assert_eq!(register.gaps[0].key(), "4.2..5.4");
        let written = write_register(&register);
        assert_eq!(parse_register("export.toml", &written).expect("export reads back"), register);
        assert_eq!(
            decode_record(&encode_record(&RecordBody::Gap(register.gaps[0].clone()))),
            Ok(RecordBody::Gap(register.gaps[0].clone()))
        );
        // An origin first version is the default and is not written.
        let origin = text.replace("first_version = \"baseline\"\n", "");
        let origin = parse_register("reg.toml", &origin).expect("valid");
        assert_eq!(origin.code.first_version, inforce_core::FirstVersion::Origin);
        assert!(!write_register(&origin).contains("first_version"));

        let bad = text.replace("2022-07-18", "2022-07").replace("\"baseline\"", "\"birth\"");
        assert_eq!(
            problems(&bad),
            [
                "reg.toml:4:27: versions_complete_until is '2022-07': expected a day, YYYY-MM-DD",
                "reg.toml:5:17: first_version is 'birth': expected baseline or origin"
            ]
        );
        let found = problems(&text.replace("before = \"5.4\"", "before = \"9.9\""));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("reg.toml:19:10: ") && found[0].contains("9.9"), "{found:?}");
        let backwards = text.replace("after = \"4.2\"\nbefore = \"5.4\"", "after = \"5.4\"\nbefore = \"4.2\"");
        let found = problems(&backwards);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("reg.toml:19:10: gap from '5.4' to '4.2': '4.2' (effective 2015-03-18)"),
            "{found:?}"
        );
    }

    #[test]
    fn line_ends_never_count() {
        let lf = "[code]\nid = \"x\"\ntitle = \"X\"\ndescription = \"\"\"\nTwo\nlines\"\"\"\n\n[[provision]]\nid = \"A\"\nkind = \"section\"\n";
        let crlf = lf.replace('\n', "\r\n");
        let from_lf = parse_register("lf.toml", lf).expect("valid");
        let from_crlf = parse_register("crlf.toml", &crlf).expect("valid");
        assert_eq!(from_crlf, from_lf);
        assert_eq!(from_crlf.code.description.as_deref(), Some("Two\nlines"));
        // Problems keep their line numbers.
        let broken = crlf.replace("kind = \"section\"", "kind = \"chapter\"");
        let error = parse_register("crlf.toml", &broken).expect_err("refused").to_string();
        assert!(error.contains("crlf.toml:10:"), "{error}");
    }
}
