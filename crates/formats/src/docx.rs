//! Word documents (.docx, ECMA-376 Office Open XML), read safely: the package is a zip whose members are checked
//! before anything is inflated, whose main document part is found through its relationships (never by a fixed
//! name), and whose XML declares no entities. This is the first layer of the clause-level importer; the numbering
//! engine and the clause structure are built on the parts it returns.
//!
//! Limits (chosen from `../shared/docx/README.md`, "Broken inputs"): a member may expand to at most 64 MiB, the
//! members together to 256 MiB, and a member over 1 MiB at most 100 times its compressed size. Declared sizes are
//! checked first, and bytes are counted while inflating, since declared sizes can lie.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

pub mod body;
pub mod changes;
#[cfg(test)]
mod fidelity;
#[cfg(test)]
mod generated;
pub mod numbering;
pub mod section;

pub use body::{Revised, View};
pub use changes::TrackedChange;
pub use section::{Clause, Document, Section, Subsection};

/// The most bytes one member may expand to: 64 MiB.
pub const MAX_MEMBER_BYTES: u64 = 64 << 20;
/// The most bytes the members may expand to together: 256 MiB.
pub const MAX_PACKAGE_BYTES: u64 = 256 << 20;
/// The highest ratio of expanded to compressed size, for members over [`RATIO_FROM_BYTES`].
pub const MAX_RATIO: u64 = 100;
/// Members this small are not held to [`MAX_RATIO`] (a page of repetitive markup compresses well).
pub const RATIO_FROM_BYTES: u64 = 1 << 20;

/// The first bytes of an OLE compound file: a Word 97–2003 document (.doc), among others.
const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// The relationship namespace of a package's own relationships (`_rels/.rels`).
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
/// The relationship type of the main document part (transitional and strict).
const OFFICE_DOCUMENT: [&str; 2] = [
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
];

/// Why a file is not read as a Word document; each names the file and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    /// A Word 97–2003 binary document, whatever its name.
    #[error("{file}: old Word format (a Word 97–2003 .doc file): open it in Word and save it as .docx")]
    OldWordFormat {
        /// The file.
        file: String,
    },
    /// Not a zip package, or a damaged one.
    #[error("{file}: not a readable .docx package: {reason}")]
    NotZip {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// A member that would expand past a limit; nothing of it was kept.
    #[error("{file}: the member {member} would expand to {size} bytes, past the limit of {limit} bytes; refused")]
    TooLarge {
        /// The file.
        file: String,
        /// The member's name.
        member: String,
        /// Its expanded size (declared, or counted so far).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A member compressed far more than documents are (a zip bomb).
    #[error(
        "{file}: the member {member} would expand {ratio} times its compressed size (the limit is {MAX_RATIO}); \
         refused"
    )]
    Ratio {
        /// The file.
        file: String,
        /// The member's name.
        member: String,
        /// Its ratio of expanded to compressed size.
        ratio: u64,
    },
    /// The package has no main document part where its relationships say.
    #[error("{file}: the package has no main document part ({why})")]
    NoMainPart {
        /// The file.
        file: String,
        /// Why: no relationships, or the part they name is missing.
        why: String,
    },
    /// The document does not read as one Section of a code (no title, a number twice…).
    #[error("{file}: {reason}")]
    Structure {
        /// The file.
        file: String,
        /// What is wrong, and what the document should hold.
        reason: String,
    },
    /// A part that is not well-formed XML, or that declares entities.
    #[error("{file}: {member} cannot be read: {reason}")]
    Xml {
        /// The file.
        file: String,
        /// The part.
        member: String,
        /// What is wrong.
        reason: String,
    },
}

/// A .docx package, checked: its members' sizes are within the limits and its main part is known.
pub struct Package {
    file: String,
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    /// The main document part's member name (`word/document.xml`, or wherever `_rels/.rels` says).
    main: String,
}

impl std::fmt::Debug for Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Package({}, main {})", self.file, self.main)
    }
}

impl Package {
    /// Reads a package from its bytes; `file` names it in errors. Refuses an old .doc by its first bytes (not its
    /// name), a damaged zip, a member past the limits (before inflating it), and a package whose relationships
    /// name no main part that it holds.
    pub fn read(file: &str, bytes: Vec<u8>) -> Result<Self, DocxError> {
        let file = file.to_string();
        if bytes.starts_with(&OLE_SIGNATURE) {
            return Err(DocxError::OldWordFormat { file });
        }
        let zipped = bytes.starts_with(b"PK");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::NotZip {
            file: file.clone(),
            reason: if zipped {
                format!("truncated or damaged: its end-of-central-directory record cannot be read ({e})")
            } else {
                "it is not a zip file (a .docx is a zip package)".to_string()
            },
        })?;
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let member = archive.by_index_raw(index).map_err(|e| DocxError::NotZip {
                file: file.clone(),
                reason: format!("member {index} cannot be read ({e})"),
            })?;
            let name = member.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("member {index}"));
            let (size, compressed) = (member.size(), member.compressed_size());
            if size > MAX_MEMBER_BYTES {
                return Err(DocxError::TooLarge { file, member: name, size, limit: MAX_MEMBER_BYTES });
            }
            if size > RATIO_FROM_BYTES && size / compressed.max(1) > MAX_RATIO {
                return Err(DocxError::Ratio { file, member: name, ratio: size / compressed.max(1) });
            }
            total = total.saturating_add(size);
            if total > MAX_PACKAGE_BYTES {
                return Err(DocxError::TooLarge {
                    file,
                    member: format!("{name} (with the members before it)"),
                    size: total,
                    limit: MAX_PACKAGE_BYTES,
                });
            }
        }
        let mut package = Self { file, archive, main: String::new() };
        package.main = package.main_part()?;
        Ok(package)
    }

    /// The main document part's member name.
    pub fn main(&self) -> &str {
        &self.main
    }

    /// The main document part's XML.
    pub fn document(&mut self) -> Result<String, DocxError> {
        let main = self.main.clone();
        self.text(&main)?.ok_or_else(|| self.no_main(format!("{main} cannot be read")))
    }

    /// The parts the main part names by relationship type (`styles`, `numbering`, `footnotes`…): each type's
    /// member name, resolved against the main part's folder.
    pub fn related(&mut self) -> Result<HashMap<String, String>, DocxError> {
        let (folder, name) = match self.main.rsplit_once('/') {
            Some((folder, name)) => (format!("{folder}/"), name.to_string()),
            None => (String::new(), self.main.clone()),
        };
        let rels = format!("{folder}_rels/{name}.rels");
        let Some(xml) = self.text(&rels)? else { return Ok(HashMap::new()) };
        let mut related = HashMap::new();
        for (kind, target) in relationships(&xml).map_err(|reason| self.xml_error(&rels, reason))? {
            if let Some(short) = kind.rsplit('/').next() {
                related.insert(short.to_string(), resolve(&folder, &target));
            }
        }
        Ok(related)
    }

    /// A member as text (UTF-8, any byte-order mark dropped), inflated within the limits; `None` when the package
    /// has no such member.
    pub fn text(&mut self, member: &str) -> Result<Option<String>, DocxError> {
        let Some(bytes) = self.bytes(member)? else { return Ok(None) };
        let text = String::from_utf8(bytes).map_err(|_| self.xml_error(member, "it is not UTF-8".into()))?;
        Ok(Some(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text)))
    }

    /// A member's bytes, counted while inflating (a declared size can lie); `None` when there is no such member.
    pub fn bytes(&mut self, member: &str) -> Result<Option<Vec<u8>>, DocxError> {
        let file = self.file.clone();
        let mut entry = match self.archive.by_name(member) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(DocxError::NotZip { file, reason: format!("{member} cannot be read ({e})") }),
        };
        let mut bytes = Vec::new();
        (&mut entry).take(MAX_MEMBER_BYTES + 1).read_to_end(&mut bytes).map_err(|e| DocxError::NotZip {
            file: file.clone(),
            reason: format!("{member} cannot be inflated ({e})"),
        })?;
        if bytes.len() as u64 > MAX_MEMBER_BYTES {
            return Err(DocxError::TooLarge {
                file,
                member: member.to_string(),
                size: bytes.len() as u64,
                limit: MAX_MEMBER_BYTES,
            });
        }
        Ok(Some(bytes))
    }

    /// The main part, from `_rels/.rels` (ECMA-376 Part 2: the package relationship of type officeDocument).
    fn main_part(&mut self) -> Result<String, DocxError> {
        let Some(xml) = self.text("_rels/.rels")? else {
            return Err(self.no_main("it has no _rels/.rels naming one".into()));
        };
        let found = relationships(&xml).map_err(|reason| self.xml_error("_rels/.rels", reason))?;
        let Some((_, target)) = found.into_iter().find(|(kind, _)| OFFICE_DOCUMENT.contains(&kind.as_str())) else {
            return Err(self.no_main("_rels/.rels names no officeDocument part".into()));
        };
        let main = resolve("", &target);
        if self.archive.index_for_name(&main).is_none() {
            return Err(self.no_main(format!("_rels/.rels names {main}, which is missing")));
        }
        Ok(main)
    }

    fn no_main(&self, why: String) -> DocxError {
        DocxError::NoMainPart { file: self.file.clone(), why }
    }

    fn xml_error(&self, member: &str, reason: String) -> DocxError {
        DocxError::Xml { file: self.file.clone(), member: member.to_string(), reason }
    }
}

/// A relationship target resolved against the folder of the part it belongs to (`/word/x.xml` is from the root).
fn resolve(folder: &str, target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => {
            let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
            for piece in target.split('/') {
                match piece {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    piece => parts.push(piece),
                }
            }
            parts.join("/")
        }
    }
}

/// The (type, target) of every internal relationship in a relationships part, matched by namespace.
fn relationships(xml: &str) -> Result<Vec<(String, String)>, String> {
    let mut reader = xml_reader(xml);
    let mut found = Vec::new();
    let mut buffer = Vec::new();
    loop {
        let (namespace, event) = reader.read_resolved_event_into(&mut buffer).map_err(|e| e.to_string())?;
        match event {
            Event::DocType(_) => return Err(entities()),
            Event::Eof => break,
            Event::Start(element) | Event::Empty(element)
                if element.local_name().into_inner() == "Relationship"
                    && matches!(namespace, ResolveResult::Bound(ns) if ns.into_inner() == RELATIONSHIPS) =>
            {
                let (mut kind, mut target, mut external) = (None, None, false);
                for attribute in element.attributes() {
                    let attribute = attribute.map_err(|e| e.to_string())?;
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| e.to_string())?
                        .into_owned();
                    match attribute.key.into_inner() {
                        "Type" => kind = Some(value),
                        "Target" => target = Some(value),
                        "TargetMode" => external = value == "External",
                        _ => {}
                    }
                }
                if let (Some(kind), Some(target), false) = (kind, target, external) {
                    found.push((kind, target));
                }
            }
            _ => {}
        }
        buffer.clear();
    }
    Ok(found)
}

/// A namespace-aware XML reader over a part (prefixes are matched by namespace, never by name: some tools write
/// `ns0:` for `w:`).
pub fn xml_reader(xml: &str) -> NsReader<&[u8]> {
    let mut reader = NsReader::from_reader(xml.as_bytes());
    reader.config_mut().trim_text(false);
    reader
}

/// Why a part with a document type declaration is refused: it could declare entities that expand without bound.
pub fn entities() -> String {
    "it declares a document type (<!DOCTYPE …>), whose entity declarations are refused".to_string()
}

/// The Word test data (`../shared/docx`, or `INFORCE_DOCX_DATA` where the tests run from a copy of the tree, as
/// under cargo-mutants), or `None` after saying the tests skip; its absence fails when `INFORCE_REQUIRE_DOCX` is set
/// (as CI and `bench/mutants.sh` set it).
#[cfg(test)]
pub(crate) fn test_data() -> Option<std::path::PathBuf> {
    let dir = match std::env::var_os("INFORCE_DOCX_DATA") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/docx"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("INFORCE_REQUIRE_DOCX").is_err(),
        "{} is required here (INFORCE_REQUIRE_DOCX)",
        dir.display()
    );
    eprintln!("skipped: ../shared/docx is not on this machine");
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    use super::test_data as shared;

    fn read(path: &Path) -> Result<Package, DocxError> {
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        Package::read(&name, std::fs::read(path).expect("read"))
    }

    fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in members {
            out.start_file(*name, zip::write::SimpleFileOptions::default()).expect("member");
            out.write_all(bytes).expect("write");
        }
        out.finish().expect("zip").into_inner()
    }

    const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

    #[test]
    fn the_broken_inputs_are_refused_for_their_reason() {
        let Some(dir) = shared() else { return };
        let broken = dir.join("sec-like/broken");
        let refused = |name: &str| read(&broken.join(name)).expect_err(name).to_string();
        for name in ["old-format.doc", "old-format-as.docx"] {
            assert_eq!(
                refused(name),
                format!("{name}: old Word format (a Word 97–2003 .doc file): open it in Word and save it as .docx")
            );
        }
        let truncated = refused("truncated.docx");
        assert!(
            truncated.starts_with("truncated.docx: not a readable .docx package: truncated or damaged"),
            "{truncated}"
        );
        assert_eq!(
            refused("no-document-part.docx"),
            "no-document-part.docx: the package has no main document part (_rels/.rels names word/document.xml, \
             which is missing)"
        );
        let bomb = refused("zip-bomb.docx");
        assert_eq!(
            bomb,
            "zip-bomb.docx: the member word/media/image1.png would expand to 209715200 bytes, past the limit of \
             67108864 bytes; refused"
        );
    }

    #[test]
    fn good_documents_and_every_real_world_file_open_or_are_refused_clearly() {
        let Some(dir) = shared() else { return };
        for name in ["D-v1", "D-v2", "D-v2-conformed", "A-v1", "X-v1"] {
            let mut package = read(&dir.join(format!("sec-like/{name}.docx"))).expect(name);
            assert_eq!(package.main(), "word/document.xml");
            assert!(package.document().expect("document").contains("SECTION"), "{name}");
            let related = package.related().expect("related");
            assert_eq!(related.get("numbering").map(String::as_str), Some("word/numbering.xml"), "{name}");
            assert_eq!(related.get("styles").map(String::as_str), Some("word/styles.xml"), "{name}");
        }
        let mut opened = 0;
        for folder in ["realworld/pandoc", "realworld/python-docx"] {
            for entry in std::fs::read_dir(dir.join(folder)).expect("folder") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "docx") {
                    let mut package = read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    package.document().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    package.related().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    opened += 1;
                }
            }
        }
        assert_eq!(opened, 46 + 19);
        // The main part is where the relationships say, not at a fixed name.
        let alternate = read(&dir.join("realworld/pandoc/alternate_document_path.docx")).expect("alternate");
        assert_eq!(alternate.main(), "word/document2.xml");
    }

    #[test]
    fn a_member_past_the_limits_is_refused_before_or_while_inflating() {
        // Declared sizes: a member over 64 MiB of zeros (it compresses to about 64 KiB).
        let zeros = vec![0u8; (MAX_MEMBER_BYTES + 1) as usize];
        let big = zip(&[("_rels/.rels", RELS.as_bytes()), ("word/document.xml", b"<w/>"), ("big.bin", &zeros)]);
        let refused = Package::read("big.docx", big).expect_err("too large").to_string();
        assert!(refused.contains("the member big.bin would expand to 67108865 bytes"), "{refused}");
        // A ratio past 100:1 on a member over 1 MiB.
        let ratio =
            zip(&[("_rels/.rels", RELS.as_bytes()), ("word/document.xml", b"<w/>"), ("z", &vec![0u8; 2 << 20])]);
        let refused = Package::read("ratio.docx", ratio).expect_err("ratio");
        assert!(matches!(&refused, DocxError::Ratio { member, .. } if member == "z"), "{refused}");
        // The members together past 256 MiB, each within its own limit (stored, so no ratio applies).
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let piece = vec![7u8; 60 << 20];
        for n in 0..5 {
            out.start_file(format!("m{n}"), stored).expect("member");
            std::io::Write::write_all(&mut out, &piece).expect("write");
        }
        let many = out.finish().expect("zip").into_inner();
        let refused = Package::read("many.docx", many).expect_err("package").to_string();
        assert!(refused.contains("m4 (with the members before it)"), "{refused}");
    }

    #[test]
    fn relationships_are_matched_by_namespace_and_resolved_against_their_part() {
        let prefixed = RELS
            .replace("<Relationships xmlns=", "<r:Relationships xmlns:r=")
            .replace("<Relationship ", "<r:Relationship ")
            .replace("</Relationships>", "</r:Relationships>");
        let package =
            Package::read("p.docx", zip(&[("_rels/.rels", prefixed.as_bytes()), ("word/document.xml", b"<w/>")]));
        assert_eq!(package.expect("prefixed").main(), "word/document.xml");
        let other = RELS.replace("package/2006/relationships\"", "package/2006/other\"");
        let refused =
            Package::read("o.docx", zip(&[("_rels/.rels", other.as_bytes()), ("word/document.xml", b"<w/>")]));
        assert!(matches!(refused, Err(DocxError::NoMainPart { .. })), "another namespace is not a relationship");
        let doctype =
            format!("<!DOCTYPE x [<!ENTITY a \"aaaa\">]>{}", RELS.trim_start_matches("<?xml version=\"1.0\"?>"));
        let refused =
            Package::read("e.docx", zip(&[("_rels/.rels", doctype.as_bytes()), ("word/document.xml", b"<w/>")]));
        assert!(refused.expect_err("entities").to_string().contains("entity declarations are refused"));
        assert_eq!(resolve("word/", "numbering.xml"), "word/numbering.xml");
        assert_eq!(resolve("word/", "../customXml/item1.xml"), "customXml/item1.xml");
        assert_eq!(resolve("word/", "/word/styles.xml"), "word/styles.xml");
        let missing = Package::read("m.docx", zip(&[("word/document.xml", b"<w/>")])).expect_err("no rels");
        assert_eq!(
            missing.to_string(),
            "m.docx: the package has no main document part (it has no _rels/.rels naming one)"
        );
        let not_zip = Package::read("t.docx", b"hello".to_vec()).expect_err("text");
        assert_eq!(
            not_zip.to_string(),
            "t.docx: not a readable .docx package: it is not a zip file (a .docx is a zip package)"
        );
    }
}
