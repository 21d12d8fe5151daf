//! Guidance and documents: files (PDF, Word, Markdown, plain text) kept once by the SHA-256 of their content and
//! attached to versions, provisions, proposals or consultations.

use std::fmt;

use crate::date::FuzzyDate;
use crate::id::{EntryId, ProvisionId};
use crate::text::TextHash;

/// A document the register keeps: its description; the file itself is stored once under `sha256`.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// A stable key, used in addresses: lower-case letters, digits and '-'.
    pub id: String,
    /// Its title.
    pub title: String,
    /// What sort of document it is (guidance, report, response, decision…), as the register names it.
    pub kind: Option<String>,
    /// Its date.
    pub date: FuzzyDate,
    /// The file's name, for downloads.
    pub file_name: String,
    /// The file's media type (one of [`MEDIA_TYPES`]).
    pub media_type: String,
    /// The SHA-256 of the file, 64 lower-case hex digits: where the store keeps it.
    pub sha256: String,
    /// The file's size in bytes.
    pub size: u64,
    /// What it belongs to.
    pub attached_to: Vec<Attachment>,
    /// Where it comes from.
    pub sources: Vec<String>,
}

/// What a document is attached to.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, Hash)]
pub enum Attachment {
    /// A version or event.
    Version(EntryId),
    /// A provision.
    Provision(ProvisionId),
    /// A modification proposal, by reference.
    Proposal(String),
    /// A consultation, by id.
    Consultation(String),
}

/// Why an attachment cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    /// There is no `kind:` prefix.
    #[error("'{0}' is not an attachment: write version:ID, provision:ID, proposal:REF or consultation:ID")]
    Unshaped(String),
    /// The kind is not one a document attaches to.
    #[error("'{0}' is not something a document attaches to: use version, provision, proposal or consultation")]
    UnknownKind(String),
    /// The id after the kind is not valid.
    #[error(transparent)]
    Id(#[from] crate::id::IdError),
}

impl Attachment {
    /// Reads `version:4.1`, `provision:H15`, `proposal:MP084` or `consultation:SEC4`.
    pub fn parse(text: &str) -> Result<Self, AttachmentError> {
        let (kind, id) = text.split_once(':').ok_or_else(|| AttachmentError::Unshaped(text.to_string()))?;
        let id = id.trim();
        match kind.trim() {
            "version" | "event" => Ok(EntryId::parse(id).map(Self::Version)?),
            "provision" => Ok(ProvisionId::parse(id).map(Self::Provision)?),
            "proposal" if !id.is_empty() => Ok(Self::Proposal(id.to_uppercase())),
            "consultation" if !id.is_empty() => Ok(Self::Consultation(id.to_string())),
            other => Err(AttachmentError::UnknownKind(other.to_string())),
        }
    }
}

impl fmt::Display for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Version(id) => write!(f, "version:{id}"),
            Self::Provision(id) => write!(f, "provision:{id}"),
            Self::Proposal(reference) => write!(f, "proposal:{reference}"),
            Self::Consultation(id) => write!(f, "consultation:{id}"),
        }
    }
}

/// The media types a document may have, with the file name endings that imply them.
pub const MEDIA_TYPES: [(&str, &[&str]); 5] = [
    ("application/pdf", &["pdf"]),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &["docx"]),
    ("application/msword", &["doc"]),
    ("text/markdown; charset=utf-8", &["md", "markdown"]),
    ("text/plain; charset=utf-8", &["txt"]),
];

/// The media type of a file from its name, checked against its first bytes: a PDF must start `%PDF-`, a Word
/// file must be a zip (docx) or an OLE compound file (doc), Markdown and text must be UTF-8.
pub fn media_type(file_name: &str, bytes: &[u8]) -> Result<&'static str, MediaTypeError> {
    let ending = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let Some((media, _)) = MEDIA_TYPES.iter().find(|(_, endings)| endings.contains(&ending.as_str())) else {
        return Err(MediaTypeError::NotAccepted { file_name: file_name.to_string() });
    };
    let fits = match ending.as_str() {
        "pdf" => bytes.starts_with(b"%PDF-"),
        "docx" => bytes.starts_with(b"PK\x03\x04"),
        "doc" => bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        _ => std::str::from_utf8(bytes).is_ok(),
    };
    if fits { Ok(media) } else { Err(MediaTypeError::ContentDiffers { file_name: file_name.to_string(), ending }) }
}

/// Why a file is not accepted as a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaTypeError {
    /// Its name does not end in an accepted type.
    #[error("{file_name}: documents must be one of .{}", MEDIA_TYPES.iter().flat_map(|(_, e)| e.iter().copied()).collect::<Vec<_>>().join(", ."))]
    NotAccepted {
        /// The file's name.
        file_name: String,
    },
    /// Its first bytes are not those of the type its name says.
    #[error("{file_name}: the content is not a .{ending} file (its first bytes do not match)")]
    ContentDiffers {
        /// The file's name.
        file_name: String,
        /// The ending its name has.
        ending: String,
    },
}

/// The SHA-256 of a file's bytes, as stored in [`Document::sha256`].
pub fn sha256(bytes: &[u8]) -> String {
    TextHash::of_bytes(bytes).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_read_and_print_back() {
        for text in ["version:4.1", "provision:H15", "proposal:MP084", "consultation:SEC4"] {
            assert_eq!(Attachment::parse(text).map(|a| a.to_string()).as_deref(), Ok(text));
        }
        assert_eq!(
            Attachment::parse("provision:Section H"),
            Ok(Attachment::Provision(ProvisionId::parse("H").expect("id")))
        );
        assert_eq!(Attachment::parse("proposal:mp084"), Ok(Attachment::Proposal("MP084".into())));
        assert!(Attachment::parse("H15").is_err_and(|e| e.to_string().contains("write version:ID")));
        assert!(Attachment::parse("party:DCC").is_err_and(|e| e.to_string().contains("'party' is not something")));
        assert!(matches!(Attachment::parse("provision:a b!"), Err(AttachmentError::Id(_))));
    }

    #[test]
    fn media_types_come_from_the_name_and_are_checked_against_the_content() {
        assert_eq!(media_type("annex.PDF", b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert_eq!(media_type("note.md", "# Guidance\n".as_bytes()), Ok("text/markdown; charset=utf-8"));
        assert!(media_type("annex.pdf", b"<html>").is_err_and(|e| e.to_string().contains("not a .pdf file")));
        assert!(media_type("tool.exe", b"MZ").is_err_and(|e| e.to_string().contains("must be one of .pdf, .docx")));
        assert!(media_type("note.md", &[0xff, 0xfe]).is_err());
        assert_eq!(sha256(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn a_proposal_or_consultation_attachment_names_one() {
        for text in ["proposal:", "consultation: ", "proposal"] {
            assert!(Attachment::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn word_files_are_checked_by_their_own_signatures() {
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00];
        assert!(media_type("a.docx", b"PK\x03\x04 rest").is_ok());
        assert!(media_type("a.docx", &ole).is_err(), "an old Word file named .docx");
        assert!(media_type("a.doc", &ole).is_ok());
        assert!(media_type("a.doc", b"PK\x03\x04 rest").is_err(), "a zip named .doc");
        assert!(media_type("a.docx", b"plain text").is_err());
    }
}
