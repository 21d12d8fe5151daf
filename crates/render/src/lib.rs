//! Renditions: a code at a point laid out as files people take away, and the writing of them. Each format has
//! a module of its own and one arm in [`render`]; the words and structure come from `inforce_present` (Markdown
//! from `present::markdown`), the layout and packaging live here, so a layout engine (PDF, Word styling, zip)
//! never enters `core` or `present`. Exchange formats that are also read back (Akoma Ntoso, a Word package)
//! keep their reader and writer side by side in `inforce_formats`, and are packaged here.
//!
//! Every face takes renditions from here: `inforce export` writes one to a folder ([`write_folder`]); a
//! download route of the site sends a one-file rendition with its media type and file name.

#![forbid(unsafe_code)]

mod markdown;

use std::path::{Path, PathBuf};

use inforce_core::History;
use inforce_core::point::Cut;
use jiff::civil::Date;

/// The forms a rendition can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A folder of Markdown files: `index.md` (every provision with its status), `{code}.md` (the whole code in
    /// reading order) and `provisions/{id}.md` (each text as recorded).
    Markdown,
}

impl Format {
    /// Every format, in the order help lists them.
    pub const ALL: [Format; 1] = [Format::Markdown];

    /// Its name on the command line and in addresses (`markdown`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Markdown => "markdown",
        }
    }

    /// The format with this name (`markdown`); `None` for another.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One file of a rendition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// Where it goes, relative to the rendition's folder, `/`-separated (`provisions/H15.md`).
    pub path: String,
    /// Its media type (`text/markdown; charset=utf-8`).
    pub media_type: &'static str,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// A rendition: its files, in the order they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    /// The files.
    pub files: Vec<RenderedFile>,
    /// How many of them are provisions' texts.
    pub provisions: usize,
}

/// The code of `history` as it stood at `cut`, seen from `today`, in `format`.
pub fn render(history: &History, cut: &Cut<'_>, format: Format, today: Date) -> Rendition {
    match format {
        Format::Markdown => markdown::render(history, cut, today),
    }
}

/// Why a rendition was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The folder exists and holds something: a rendition is written only into a new or empty folder, so it
    /// never mixes with or overwrites other files.
    #[error("{} exists and is not empty: export into a new or empty folder", .0.display())]
    NotEmpty(PathBuf),
    /// A folder could not be made.
    #[error("{}: cannot create: {source}", path.display())]
    Create {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes `rendition` into `folder` (made if missing, with the folders its files name), refusing a folder that
/// exists and is not empty, or cannot be listed. Errors: [`WriteError`].
pub fn write_folder(rendition: &Rendition, folder: &Path) -> Result<(), WriteError> {
    if folder.exists() && std::fs::read_dir(folder).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(WriteError::NotEmpty(folder.to_path_buf()));
    }
    for file in &rendition.files {
        let path = file.path.split('/').fold(folder.to_path_buf(), |path, part| path.join(part));
        let parent = path.parent().unwrap_or(folder);
        std::fs::create_dir_all(parent).map_err(|source| WriteError::Create { path: parent.to_path_buf(), source })?;
        std::fs::write(&path, &file.bytes).map_err(|source| WriteError::Write { path, source })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> RenderedFile {
        RenderedFile { path: path.into(), media_type: "text/plain", bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn formats_are_named_once() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("markdown"), Some(Format::Markdown));
        assert_eq!(Format::from_name("pdf"), None);
    }

    #[test]
    fn a_rendition_is_written_only_into_a_new_or_empty_folder() {
        let dir = tempfile::tempdir().expect("temp");
        let rendition =
            Rendition { files: vec![file("index.md", "# Index\n"), file("provisions/A1.md", "A1\n")], provisions: 1 };
        let new = dir.path().join("new");
        write_folder(&rendition, &new).expect("written");
        assert_eq!(std::fs::read_to_string(new.join("index.md")).expect("read"), "# Index\n");
        assert_eq!(std::fs::read_to_string(new.join("provisions").join("A1.md")).expect("read"), "A1\n");
        let refused = write_folder(&rendition, &new).expect_err("not empty");
        assert_eq!(
            refused.to_string(),
            format!("{} exists and is not empty: export into a new or empty folder", new.display())
        );
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).expect("made");
        write_folder(&rendition, &empty).expect("an empty folder takes it");
        // A file where the folder should be: it cannot be listed, so it is not empty.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "x").expect("file");
        assert!(matches!(write_folder(&rendition, &blocked), Err(WriteError::NotEmpty(_))));
    }
}
