//! Versioned folders for the tests, in the layout `inforce import` reads (README: "Texts: import, show, compare,
//! blame"): `versions.tsv`, then one `<version>/<id>.md` per provision. The web crate's tests include this file
//! too (`crates/web/tests/common/mod.rs`), so that both suites import the same sample codes.

use std::path::{Path, PathBuf};

/// The labels versions get in `versions.tsv`, by their place in it.
const LABELS: [&str; 10] =
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/// A versioned folder, built a version at a time and written by [`Folder::write`].
#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// Each version: id, effective date, and its provisions' files.
    versions: Vec<(String, String, Files)>,
}

/// A version's provision files: (id, Markdown).
type Files = Vec<(String, String)>;

impl Folder {
    /// A folder with no version yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a version in force from `effective` (`YYYY-MM-DD`), labelled by its place ("first", "second", …),
    /// whose provisions read `texts`: `(id, Markdown)`, each written to `<version>/<id>.md`. A provision not given
    /// is not in that version.
    pub fn version(mut self, id: &str, effective: &str, texts: &[(impl AsRef<str>, impl AsRef<str>)]) -> Self {
        let texts = texts.iter().map(|(id, text)| (id.as_ref().to_string(), text.as_ref().to_string())).collect();
        self.versions.push((id.to_string(), effective.to_string(), texts));
        self
    }

    /// Writes `versions.tsv` and every version's files under `root` (made if missing; files already there are
    /// overwritten, others left alone); returns `root`.
    pub fn write(&self, root: &Path) -> PathBuf {
        assert!(self.versions.len() <= LABELS.len(), "more versions than labels");
        let mut listing = String::from("version_id\teffective_date\tlabel\n");
        for ((id, effective, texts), label) in self.versions.iter().zip(LABELS) {
            listing.push_str(&format!("{id}\t{effective}\t{label}\n"));
            for (provision, text) in texts {
                write(root, &format!("{id}/{provision}.md"), text);
            }
        }
        write(root, "versions.tsv", &listing);
        root.to_path_buf()
    }
}

/// Writes a file under `root`, making its folders.
pub fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A small code: three articles through two versions (v2 rewords article 1, takes out 2 and adds 3).
pub fn small_folder() -> Folder {
    Folder::new()
        .version(
            "v1",
            "2016-01-01",
            &[("1", "# Article 1\n\nLe paiement fait de bonne foi est valable.\n"), ("2", "# Article 2\n\nDeux.\n")],
        )
        .version(
            "v2",
            "2017-01-01",
            &[
                ("1", "# Article 1\n\nLe paiement fait de mauvaise foi est valable.\n\nAjout.\n"),
                ("3", "# Article 3\n\nTrois.\n"),
            ],
        )
}

/// [`small_folder`] and a v3 that changes everything back: 1 is given v1's wording again, 2 (taken out by v2)
/// comes back as v1 had it, and 3 (added by v2) is taken out. Compared from v1 to v3, nothing differs.
pub fn changed_back_folder() -> Folder {
    small_folder().version(
        "v3",
        "2018-01-01",
        &[("1", "# Article 1\n\nLe paiement fait de bonne foi est valable.\n"), ("2", "# Article 2\n\nDeux.\n")],
    )
}

/// Article 1 of [`resaved_folder`], composed (NFC).
pub const CREANCE: &str =
    "# Article 1\n\nLa créance née d'une décision exécutoire est éteinte à l'échéance prévue à l'article précédent.\n";

/// The same words as [`CREANCE`], every accent decomposed (NFD), as some tools save them.
pub fn decomposed(text: &str) -> String {
    text.replace('é', "e\u{301}").replace('è', "e\u{300}").replace('à', "a\u{300}")
}

/// A code whose v2 re-saves article 1 with decomposed accents, nothing else changed in it, and amends article 2.
pub fn resaved_folder() -> Folder {
    Folder::new().version("v1", "2016-01-01", &[("1", CREANCE), ("2", "# Article 2\n\nDeux.\n")]).version(
        "v2",
        "2017-01-01",
        &[("1", decomposed(CREANCE).as_str()), ("2", "# Article 2\n\nDeux et demi.\n")],
    )
}
