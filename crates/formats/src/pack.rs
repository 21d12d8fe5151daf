//! Texts and text changes as stored bytes. A publication stores its new texts in one pack and its text records in
//! one change list; both are deflate-compressed. The store keeps these bytes in rows; this module is only the
//! bytes <-> model part.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use inforce_core::text::{TextAssignment, TextHash, TextWrite};
use inforce_core::{EntryId, ProvisionId};

/// Why stored pack or change-list bytes cannot be read back, or a change cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The pack's body is not valid deflate data.
    #[error("text pack cannot be decompressed: {0}")]
    PackInflate(std::io::Error),
    /// The pack's content is not what its checksum says.
    #[error("text pack does not match its checksum")]
    Checksum,
    /// A length runs past the end of the pack.
    #[error("truncated text pack")]
    Truncated,
    /// A text in the pack is not UTF-8.
    #[error("text pack holds invalid UTF-8")]
    PackUtf8,
    /// The change list's body is not valid deflate data.
    #[error("text changes cannot be decompressed: {0}")]
    ChangesInflate(std::io::Error),
    /// The change list is not UTF-8.
    #[error("text changes hold invalid UTF-8")]
    ChangesUtf8,
    /// A change line lacks one of its three fields.
    #[error("bad text change line '{0}'")]
    BadLine(String),
    /// A change names a position that is not a number.
    #[error("bad text position '{0}'")]
    BadPosition(String),
    /// A change names a position past the packed texts.
    #[error("no packed text {0}")]
    NoText(usize),
    /// A change names an entry or provision id that does not parse (the parser's message).
    #[error("{0}")]
    BadId(String),
    /// A change to write names a text that has no position among the packed texts.
    #[error("text {0} is neither stored nor part of the publication")]
    Unplaced(TextHash),
}

/// How hard [`deflate`] tries: `Best` for what is stored once and read often, `Fast` for what is rewritten often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// Quick, larger output.
    Fast,
    /// Slow, smallest output.
    Best,
}

/// A pack of texts as stored: (checksum, body). The body is the deflate-compressed sequence of each text's
/// length (4 bytes, little-endian) and bytes; the checksum is the SHA-256 of the uncompressed sequence.
pub fn encode_pack(texts: &[(TextHash, Arc<str>)]) -> (Vec<u8>, Vec<u8>) {
    let mut raw = Vec::new();
    for (_, text) in texts {
        let length = u32::try_from(text.len()).unwrap_or(u32::MAX);
        raw.extend_from_slice(&length.to_le_bytes());
        raw.extend_from_slice(text.as_bytes());
    }
    (TextHash::of_bytes(&raw).as_bytes().to_vec(), deflate(&raw, Effort::Best))
}

/// The texts of one stored pack, in order, each with its hash (computed from the text), checked against the
/// pack's checksum: a stored text that changed is refused ([`PackError::Checksum`]), so a published text can be
/// shown to be unchanged.
pub fn decode_pack(checksum: &[u8], body: &[u8]) -> Result<Vec<(TextHash, Arc<str>)>, PackError> {
    let raw = inflate(body).map_err(PackError::PackInflate)?;
    if TextHash::of_bytes(&raw).as_bytes().as_slice() != checksum {
        return Err(PackError::Checksum);
    }
    let mut texts = Vec::new();
    let mut rest = raw.as_slice();
    while !rest.is_empty() {
        let (length, after) = rest.split_at_checked(4).ok_or(PackError::Truncated)?;
        let length = u32::from_le_bytes([length[0], length[1], length[2], length[3]]) as usize;
        let (bytes, after) = after.split_at_checked(length).ok_or(PackError::Truncated)?;
        let text = std::str::from_utf8(bytes).map_err(|_| PackError::PackUtf8)?;
        texts.push((TextHash::of(text), Arc::from(text)));
        rest = after;
    }
    Ok(texts)
}

/// A publication's text changes as stored: compressed lines `entry<TAB>provision<TAB>position`, the position
/// being the text's place among the code's packed texts, `-` for a removal, prefixed with `!` for a withdrawal;
/// [`PackError::Unplaced`] if a text has no position.
pub fn encode_changes(writes: &[TextWrite], position: &HashMap<TextHash, usize>) -> Result<Vec<u8>, PackError> {
    let mut raw = String::new();
    for write in writes {
        let a = &write.assignment;
        let target = match a.text {
            None => "-".to_string(),
            Some(hash) => position.get(&hash).ok_or(PackError::Unplaced(hash))?.to_string(),
        };
        let mark = if write.withdrawn { "!" } else { "" };
        raw.push_str(&format!("{}\t{}\t{mark}{target}\n", a.entry, a.provision));
    }
    Ok(deflate(raw.as_bytes(), Effort::Best))
}

/// The text writes of one stored change list, in order, naming texts through `texts` (the code's packed texts,
/// in pack order); a [`PackError`] if the bytes or a line cannot be read.
pub fn decode_changes(body: &[u8], texts: &[(TextHash, Arc<str>)]) -> Result<Vec<TextWrite>, PackError> {
    let raw = inflate(body).map_err(PackError::ChangesInflate)?;
    let raw = String::from_utf8(raw).map_err(|_| PackError::ChangesUtf8)?;
    let mut writes = Vec::new();
    for line in raw.lines() {
        let mut fields = line.split('\t');
        let (Some(entry), Some(provision), Some(target)) = (fields.next(), fields.next(), fields.next()) else {
            return Err(PackError::BadLine(line.to_string()));
        };
        let (withdrawn, target) = match target.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, target),
        };
        let text = match target {
            "-" => None,
            number => {
                let index: usize = number.parse().map_err(|_| PackError::BadPosition(number.to_string()))?;
                Some(texts.get(index).ok_or(PackError::NoText(index))?.0)
            }
        };
        writes.push(TextWrite {
            assignment: TextAssignment {
                entry: EntryId::parse(entry).map_err(|e| PackError::BadId(e.to_string()))?,
                provision: ProvisionId::parse(provision).map_err(|e| PackError::BadId(e.to_string()))?,
                text,
            },
            withdrawn,
        });
    }
    Ok(writes)
}

/// The bytes, deflate-compressed (raw deflate, no header).
pub fn deflate(bytes: &[u8], effort: Effort) -> Vec<u8> {
    let level = match effort {
        Effort::Fast => Compression::fast(),
        Effort::Best => Compression::best(),
    };
    let mut encoder = DeflateEncoder::new(Vec::new(), level);
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// The bytes [`deflate`] compressed; an I/O error if they are not deflate data.
pub fn inflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    DeflateDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Vec<(TextHash, Arc<str>)> {
        ["# A\n\nOne, with accents: é à ç.\n", "", "# B\n\nTwo.\n"]
            .into_iter()
            .map(|t| (TextHash::of(t), Arc::from(t)))
            .collect()
    }

    fn write(entry: &str, provision: &str, text: Option<TextHash>, withdrawn: bool) -> TextWrite {
        TextWrite {
            assignment: TextAssignment {
                entry: EntryId::parse(entry).expect("id"),
                provision: ProvisionId::parse(provision).expect("id"),
                text,
            },
            withdrawn,
        }
    }

    #[test]
    fn a_pack_reads_back_exactly_and_refuses_a_changed_text() {
        let texts = texts();
        let (checksum, body) = encode_pack(&texts);
        assert_eq!(decode_pack(&checksum, &body).expect("decode"), texts);
        let other = deflate(b"\x01\0\0\0x", Effort::Best);
        assert!(matches!(decode_pack(&checksum, &other), Err(PackError::Checksum)));
        let short = b"\x09\0\0\0x";
        let short_sum = TextHash::of_bytes(short).as_bytes().to_vec();
        assert!(matches!(decode_pack(&short_sum, &deflate(short, Effort::Fast)), Err(PackError::Truncated)));
        assert_eq!(
            decode_pack(&checksum, b"not deflate").map(|_| ()).map_err(|e| e.to_string().starts_with("text pack")),
            Err(true)
        );
    }

    #[test]
    fn changes_read_back_through_positions() {
        let texts = texts();
        let position: HashMap<TextHash, usize> = texts.iter().enumerate().map(|(i, (h, _))| (*h, i)).collect();
        let writes = vec![
            write("1.0", "A", Some(texts[0].0), false),
            write("1.0", "B", Some(texts[2].0), false),
            write("2.0", "A", None, false),
            write("2.0", "B", Some(texts[1].0), true),
        ];
        let body = encode_changes(&writes, &position).expect("encode");
        assert_eq!(decode_changes(&body, &texts).expect("decode"), writes);
        assert!(matches!(decode_changes(&body, &texts[..1]), Err(PackError::NoText(2))));
        let unplaced = encode_changes(&writes, &HashMap::new()).expect_err("no positions");
        assert_eq!(unplaced.to_string(), format!("text {} is neither stored nor part of the publication", texts[0].0));
        let bad = deflate(b"1.0\tA\n", Effort::Best);
        assert_eq!(decode_changes(&bad, &texts).expect_err("bad").to_string(), "bad text change line '1.0\tA'");
    }

    #[test]
    fn deflate_round_trips_at_either_effort() {
        let bytes = b"positions repeat a lot and shrink well ".repeat(50);
        for effort in [Effort::Fast, Effort::Best] {
            let packed = deflate(&bytes, effort);
            assert!(packed.len() < bytes.len());
            assert_eq!(inflate(&packed).expect("inflate"), bytes);
        }
    }
}
