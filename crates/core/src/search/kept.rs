//! The kept index: [`SearchIndex`] as bytes beside the database (format `INFSRCH2`), checked when read back.

use super::index::{Posting, SearchIndex, Wording};
use crate::id::ProvisionId;
use crate::text::TextHash;

/// Marks the byte format of a kept index; a new layout changes it, so old files are rebuilt.
// 2: words are `\w` in Unicode and folded by simple case folding, over composed texts; an index kept in format 1
// folded differently and is rebuilt.
const FORMAT: &[u8; 8] = b"INFSRCH2";

impl SearchIndex {
    /// The index as bytes, to keep beside the database: a format marker, the wordings, the postings, and a
    /// SHA-256 of all of it so a damaged file is noticed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.approximate_bytes());
        out.extend_from_slice(FORMAT);
        put_u32(&mut out, self.wordings.len());
        for w in &self.wordings {
            put_str(&mut out, w.provision.as_str());
            out.extend_from_slice(w.hash.as_bytes());
            put_u32(&mut out, w.heading_words as usize);
            match &w.title {
                Some(title) => {
                    out.push(1);
                    put_str(&mut out, title);
                }
                None => out.push(0),
            }
        }
        put_u32(&mut out, self.terms.len());
        for (word, postings) in &self.terms {
            put_str(&mut out, word);
            put_u32(&mut out, postings.len());
            for posting in postings {
                put_u32(&mut out, posting.wording as usize);
                put_u32(&mut out, posting.positions.len());
                for &position in &posting.positions {
                    out.extend_from_slice(&position.to_le_bytes());
                }
            }
        }
        let checksum = TextHash::of_bytes(&out);
        out.extend_from_slice(checksum.as_bytes());
        out
    }

    /// Reads bytes written by [`SearchIndex::to_bytes`]; `None` for anything damaged, truncated or written in
    /// another format, which the caller then rebuilds rather than trusts.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let (payload, checksum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
        if TextHash::of_bytes(payload).as_bytes() != checksum {
            return None;
        }
        let mut input = payload.strip_prefix(FORMAT)?;
        let mut index = Self::default();
        for _ in 0..get_u32(&mut input)? {
            let provision = ProvisionId::parse(get_str(&mut input)?).ok()?;
            let hash = TextHash::from_bytes(take(&mut input, 32)?)?;
            let heading_words = u32::try_from(get_u32(&mut input)?).ok()?;
            let title = match take(&mut input, 1)?[0] {
                0 => None,
                1 => Some(get_str(&mut input)?.to_string()),
                _ => return None,
            };
            index.wordings.push(Wording { provision, hash, heading_words, title });
        }
        for _ in 0..get_u32(&mut input)? {
            let word = get_str(&mut input)?.to_string();
            let mut postings = Vec::new();
            for _ in 0..get_u32(&mut input)? {
                let wording = u32::try_from(get_u32(&mut input)?).ok()?;
                if wording as usize >= index.wordings.len() {
                    return None;
                }
                let count = get_u32(&mut input)?;
                let raw = take(&mut input, count.checked_mul(4)?)?;
                let positions = raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
                postings.push(Posting { wording, positions });
            }
            index.terms.insert(word, postings);
        }
        input.is_empty().then_some(index)
    }
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_u32(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn take<'b>(input: &mut &'b [u8], n: usize) -> Option<&'b [u8]> {
    let (head, rest) = input.split_at_checked(n)?;
    *input = rest;
    Some(head)
}

fn get_u32(input: &mut &[u8]) -> Option<usize> {
    let bytes = take(input, 4)?;
    usize::try_from(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])).ok()
}

fn get_str<'b>(input: &mut &'b [u8]) -> Option<&'b str> {
    let n = get_u32(input)?;
    std::str::from_utf8(take(input, n)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixtures::{history, ids};
    use crate::search::{Scope, parse};

    #[test]
    fn a_kept_index_reads_back_and_damage_is_noticed() {
        let history = history();
        let index = SearchIndex::build(&history);
        let bytes = index.to_bytes();
        let back = SearchIndex::from_bytes(&bytes).expect("reads back");
        assert_eq!(back.to_bytes(), bytes);
        let query = parse("paiement*").expect("parse");
        assert_eq!(
            ids(&back.search(&history, &query, Scope::AllVersions, None)),
            ids(&index.search(&history, &query, Scope::AllVersions, None))
        );
        let mut damaged = bytes.clone();
        damaged[20] ^= 1;
        assert!(SearchIndex::from_bytes(&damaged).is_none());
        assert!(SearchIndex::from_bytes(&bytes[..bytes.len() - 1]).is_none());
        assert!(SearchIndex::from_bytes(b"").is_none());
        // Growing: an index of nothing takes every wording; one that is complete takes none.
        let mut empty = SearchIndex::default();
        assert_eq!(empty.add_new(&history), index.wording_count());
        let mut complete = back;
        assert_eq!(complete.add_new(&history), 0);
    }
}
