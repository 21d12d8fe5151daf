//! Reading the one file a user names: only a regular file, and never more than a limit. A link is followed to
//! what it names, but a device (`/dev/zero`), a named pipe (which would block the read for ever), a socket or a
//! folder is refused before a byte is read, and a file larger than the limit is refused after reading at most one
//! byte more than it.

use std::fmt;
use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

/// Why a named file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing is there.
    NotFound,
    /// Something other than a regular file is there: what it is, in words ("a named pipe").
    NotRegular(&'static str),
    /// The file holds more than the limit (in bytes).
    TooLarge(u64),
    /// The operating system refused the read.
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound => f.write_str("no such file"),
            Self::NotRegular(what) => write!(f, "{what}, not a regular file: only regular files are read"),
            Self::TooLarge(limit) => write!(f, "more than the {} accepted", bytes_in_words(*limit)),
            Self::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// A limit in words: "64 MiB", "16 MiB", "500 bytes".
pub fn bytes_in_words(limit: u64) -> String {
    if limit >= 1 << 20 && limit.is_multiple_of(1 << 20) {
        format!("{} MiB", limit >> 20)
    } else {
        format!("{limit} bytes")
    }
}

/// What a file system entry is, in words, when it is not a regular file.
fn kind(file_type: fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// The bytes of the regular file at `path` (a link is followed), at most `limit` of them.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    };
    // Checked before opening: opening a named pipe waits for a writer.
    if let Some(what) = kind(fs::metadata(path).map_err(io)?.file_type()) {
        return Err(ReadError::NotRegular(what));
    }
    let file = File::open(path).map_err(io)?;
    // And again on what was opened, in case the entry was replaced in between.
    if let Some(what) = kind(file.metadata().map_err(io)?.file_type()) {
        return Err(ReadError::NotRegular(what));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read_and_never_past_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("a.txt");
        fs::write(&file, b"12345").expect("write");
        assert_eq!(read_regular(&file, 5).expect("read"), b"12345");
        assert!(matches!(read_regular(&file, 4), Err(ReadError::TooLarge(4))));
        assert!(matches!(read_regular(&dir.path().join("none"), 9), Err(ReadError::NotFound)));
        assert!(matches!(read_regular(dir.path(), 9), Err(ReadError::NotRegular("a folder"))));
        #[cfg(unix)]
        {
            let zero = dir.path().join("zero");
            std::os::unix::fs::symlink("/dev/zero", &zero).expect("link");
            assert!(matches!(read_regular(&zero, 9), Err(ReadError::NotRegular("a device"))));
            let linked = dir.path().join("linked");
            std::os::unix::fs::symlink(&file, &linked).expect("link");
            assert_eq!(read_regular(&linked, 9).expect("a link to a file is read"), b"12345");
            let pipe = dir.path().join("pipe");
            let made = std::process::Command::new("mkfifo").arg(&pipe).status();
            if made.is_ok_and(|s| s.success()) {
                assert!(matches!(read_regular(&pipe, 9), Err(ReadError::NotRegular("a named pipe"))));
            }
        }
        assert_eq!(bytes_in_words(64 << 20), "64 MiB");
        assert_eq!(bytes_in_words(500), "500 bytes");
        assert_eq!(ReadError::TooLarge(16 << 20).to_string(), "more than the 16 MiB accepted");
    }
}
