//! Signed checkpoints of a code's publication log: a C2SP tlog-checkpoint (<https://c2sp.org/tlog-checkpoint>)
//! signed as a C2SP signed note (<https://c2sp.org/signed-note>) with an Ed25519 key, as Go's checksum database
//! and the static Certificate Transparency logs publish theirs. The note's text is
//!
//! ```text
//! example.org/sec          the origin: the key's name, a slash and the code
//! 12                       the tree size: how many publications the log holds
//! 3q2+7w…=                 the tree head, base64 (RFC 6962, inforce_core::merkle)
//! time 2026-03-02T09:00:00Z   an extension line: the record time of the latest publication in the tree
//! ```
//!
//! followed by a blank line and a signature line (`— NAME BASE64(KEY ID ‖ SIGNATURE)`). The time is the latest
//! publication's, not the signing clock's, so a checkpoint of an unchanged log is the same bytes every time
//! (Ed25519 signatures are deterministic).
//!
//! Keys are kept in the signed-note encodings: a private key as `PRIVATE+KEY+NAME+ID+BASE64`, its verifier key
//! (what outsiders are given) as `NAME+ID+BASE64`; the key ID is the first four bytes of SHA-256 of the name, a
//! newline and the public key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use jiff::Timestamp;
use signed_note::{Note, StandardSigner, StandardVerifier, VerifierList};

/// Why a key or a checkpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// A private key that is not `PRIVATE+KEY+NAME+ID+BASE64` of an Ed25519 key.
    #[error("not an inforce signing key (PRIVATE+KEY+NAME+ID+KEY, as `inforce key generate` writes)")]
    SigningKey,
    /// A verifier key that is not `NAME+ID+BASE64` of an Ed25519 key.
    #[error("not a verifier key (NAME+ID+KEY, as `inforce key generate` prints and /api/v1/log/key serves)")]
    VerifierKey,
    /// A key name with a space or a plus, or empty.
    #[error("a key name must be non-empty, without spaces or '+': {0:?}")]
    KeyName(String),
    /// The note is not signed by the key, or its signature does not verify.
    #[error("the checkpoint is not signed by this key, or its signature is wrong")]
    Signature,
    /// The note or its text is not a well-formed checkpoint.
    #[error("not a checkpoint: {0}")]
    Malformed(String),
}

/// A checkpoint's content: which log, how many publications and their tree head, as of when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin: the key's name, a slash and the code (`example.org/sec`).
    pub origin: String,
    /// The tree size: how many publications the log holds.
    pub size: u64,
    /// The tree head (RFC 6962).
    pub root: [u8; 32],
    /// The record time of the latest publication in the tree (`None` in an empty log, or when a note has no
    /// `time` line).
    pub time: Option<Timestamp>,
}

impl Checkpoint {
    /// The note's text: origin, size, base64 head, then `time …` when known; each line ends with a newline.
    pub fn text(&self) -> String {
        let mut text = format!("{}\n{}\n{}\n", self.origin, self.size, BASE64.encode(self.root));
        if let Some(time) = self.time {
            text.push_str(&format!("time {time}\n"));
        }
        text
    }

    /// Reads a note's text (its first three lines and any `time` line; other extension lines are ignored).
    pub fn parse_text(text: &str) -> Result<Self, CheckpointError> {
        let malformed = |why: &str| CheckpointError::Malformed(why.to_string());
        let mut lines = text.lines();
        let origin = lines.next().filter(|o| !o.is_empty()).ok_or_else(|| malformed("no origin line"))?;
        let size = lines.next().and_then(|s| s.parse().ok()).ok_or_else(|| malformed("no tree size line"))?;
        let root = lines
            .next()
            .and_then(|r| BASE64.decode(r).ok())
            .and_then(|r| <[u8; 32]>::try_from(r).ok())
            .ok_or_else(|| malformed("no tree head line (32 bytes in base64)"))?;
        let mut time = None;
        for line in lines {
            if let Some(value) = line.strip_prefix("time ") {
                time = Some(value.parse().map_err(|_| malformed("a time line that is not an RFC 3339 time"))?);
            }
        }
        Ok(Self { origin: origin.to_string(), size, root, time })
    }
}

/// A server's signing key, read from its file.
#[derive(Clone)]
pub struct SigningKey {
    signer: StandardSigner,
    name: String,
    verifier: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.verifier)
    }
}

impl SigningKey {
    /// A new key named `name` (a host name, say): (its private key, its verifier key), both one line, in the
    /// signed-note encodings. The key comes from the operating system's random source.
    pub fn generate(name: &str) -> Result<(String, String), CheckpointError> {
        if !signed_note::is_key_name_valid(name) {
            return Err(CheckpointError::KeyName(name.to_string()));
        }
        Ok(signed_note::generate_key(&mut rand_core::OsRng, name))
    }

    /// Reads a private key (`PRIVATE+KEY+NAME+ID+BASE64`; surrounding white space ignored).
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let text = text.trim();
        let signer = StandardSigner::new(text).map_err(|_| CheckpointError::SigningKey)?;
        // The verifier key is derived from the private key: its last field is 0x01 and the 32-byte seed.
        // (Base64 has '+' in its alphabet: the key is everything after the fourth '+'.)
        let encoded = text.splitn(5, '+').nth(4).ok_or(CheckpointError::SigningKey)?;
        let bytes = BASE64.decode(encoded).map_err(|_| CheckpointError::SigningKey)?;
        let seed: [u8; 32] = bytes.get(1..).and_then(|s| s.try_into().ok()).ok_or(CheckpointError::SigningKey)?;
        let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
        let name = signed_note::Signer::name(&signer).to_string();
        let verifier = signed_note::new_ed25519_verifier_key(&name, &public);
        Ok(Self { signer, name, verifier })
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its verifier key, `NAME+ID+BASE64`: what outsiders check checkpoints with.
    pub fn verifier_key(&self) -> &str {
        &self.verifier
    }

    /// The checkpoint as a signed note.
    pub fn sign(&self, checkpoint: &Checkpoint) -> Result<String, CheckpointError> {
        let mut note =
            Note::new(checkpoint.text().as_bytes(), &[]).map_err(|e| CheckpointError::Malformed(e.to_string()))?;
        note.add_sigs(&[&self.signer]).map_err(|e| CheckpointError::Malformed(e.to_string()))?;
        String::from_utf8(note.to_bytes()).map_err(|e| CheckpointError::Malformed(e.to_string()))
    }
}

/// A signed note as it reads once a person's editor has had it: line ends made LF (from CRLF, or a lone CR), a
/// leading byte-order mark, spaces and tabs at the ends of lines, and blank lines at the end dropped, and one final
/// newline. A note is signed over LF lines without trailing spaces, and ends with its signature line and a
/// newline, so a note as signed reads the same; the signature is checked on the result all the same.
pub fn normalise(note: &str) -> String {
    let note = note.strip_prefix('\u{feff}').unwrap_or(note).replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<&str> = note.split('\n').map(|line| line.trim_end_matches([' ', '\t'])).collect();
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Checks a signed checkpoint against a verifier key and reads it: [`CheckpointError::Signature`] unless the
/// key signed exactly this text.
pub fn open(note: &str, verifier_key: &str) -> Result<Checkpoint, CheckpointError> {
    let verifier = StandardVerifier::new(verifier_key.trim()).map_err(|_| CheckpointError::VerifierKey)?;
    let note = Note::from_bytes(note.as_bytes()).map_err(|e| CheckpointError::Malformed(e.to_string()))?;
    let list = VerifierList::new(vec![Box::new(verifier)]);
    note.verify(&list).map_err(|_| CheckpointError::Signature)?;
    let text = std::str::from_utf8(note.text()).map_err(|_| CheckpointError::Malformed("not UTF-8".into()))?;
    Checkpoint::parse_text(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint() -> Checkpoint {
        Checkpoint {
            origin: "example.org/sec".into(),
            size: 12,
            root: [7; 32],
            time: Some("2026-03-02T09:00:00Z".parse().expect("time")),
        }
    }

    #[test]
    fn the_text_is_the_tlog_checkpoint_form_and_reads_back() {
        let c = checkpoint();
        assert_eq!(c.text(), format!("example.org/sec\n12\n{}\ntime 2026-03-02T09:00:00Z\n", BASE64.encode([7; 32])));
        assert_eq!(Checkpoint::parse_text(&c.text()), Ok(c.clone()));
        let without = Checkpoint { time: None, ..c };
        assert_eq!(Checkpoint::parse_text(&without.text()), Ok(without));
        assert!(Checkpoint::parse_text("example.org/sec\nmany\nAAAA\n").is_err());
        assert!(Checkpoint::parse_text("example.org/sec\n12\nAAAA\n").is_err(), "a head of 3 bytes");
    }

    #[test]
    fn a_signed_checkpoint_opens_with_its_key_only() {
        let (private, verifier) = SigningKey::generate("example.org").expect("key");
        let key = SigningKey::parse(&format!("{private}\n")).expect("parse");
        assert_eq!(key.verifier_key(), verifier, "the verifier key is derived from the private key");
        assert_eq!(key.name(), "example.org");
        let note = key.sign(&checkpoint()).expect("sign");
        assert!(note.starts_with(&checkpoint().text()), "{note}");
        assert!(note.contains("\n\n\u{2014} example.org "), "{note}");
        assert_eq!(open(&note, &verifier), Ok(checkpoint()));
        assert_eq!(key.sign(&checkpoint()).expect("sign"), note, "the same checkpoint, the same bytes");

        let (_, other) = SigningKey::generate("example.org").expect("key");
        assert_eq!(open(&note, &other), Err(CheckpointError::Signature), "another key");
        let forged = note.replacen("\n12\n", "\n13\n", 1);
        assert_eq!(open(&forged, &verifier), Err(CheckpointError::Signature), "a forged size");
        assert_eq!(open(&note, "garbage"), Err(CheckpointError::VerifierKey));
    }

    #[test]
    fn a_note_re_saved_by_an_editor_reads_as_signed() {
        let (private, verifier) = SigningKey::generate("example.org").expect("key");
        let note = SigningKey::parse(&private).expect("parse").sign(&checkpoint()).expect("sign");
        assert_eq!(normalise(&note), note, "a note as signed is left as it is");
        let crlf = note.replace('\n', "\r\n");
        for saved in [
            crlf.clone(),
            crlf.trim_end().to_string(),
            note.trim_end().to_string(),
            note.replace('\n', "\r"),
            format!("\u{feff}{note}"),
            format!("{note}\n\n"),
            note.replace('\n', " \n"),
            format!("{}\t\r\n\r\n", note.trim_end()),
        ] {
            assert_eq!(normalise(&saved), note, "{saved:?}");
            assert_eq!(open(&normalise(&saved), &verifier), Ok(checkpoint()));
        }
        assert!(open(&crlf, &verifier).is_err(), "the note as re-saved does not open by itself");
        // A changed line is still a changed line.
        let forged = normalise(&crlf.replacen("\r\n12\r\n", "\r\n13\r\n", 1));
        assert_eq!(open(&forged, &verifier), Err(CheckpointError::Signature));
    }

    #[test]
    fn keys_are_checked() {
        assert!(matches!(SigningKey::generate("two words"), Err(CheckpointError::KeyName(_))));
        assert!(matches!(SigningKey::generate("a+b"), Err(CheckpointError::KeyName(_))));
        assert!(matches!(SigningKey::parse("PRIVATE+KEY+x+00000000+AAAA"), Err(CheckpointError::SigningKey)));
        let (_, verifier) = SigningKey::generate("example.org").expect("key");
        assert!(matches!(SigningKey::parse(&verifier), Err(CheckpointError::SigningKey)), "a verifier key");
    }

    #[test]
    fn the_go_reference_key_and_signature_open() {
        // The example of golang.org/x/mod/sumdb/note (and of the signed_note crate): a note signed by a known
        // key, so this implementation reads notes other implementations sign.
        let private = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
        let key = SigningKey::parse(private).expect("parse");
        assert_eq!(key.verifier_key(), "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
    }
}
