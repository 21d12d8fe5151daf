//! The README's promise, tried on generated texts in many scripts: a plain-word search finds exactly the provisions
//! whose files `rg -i -w` finds, however the words are cased. Needs ripgrep (skipped with a reason without it,
//! unless `INFORCE_REQUIRE_RG` is set, as CI sets it).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use inforce_core::import::{TextImport, merge_versions};
use inforce_core::search::{Scope, SearchIndex, parse, words};
use inforce_core::text::{Texts, normalise};
use inforce_core::unicode::nfc;
use inforce_core::{CodeId, History};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Words whose case folds in every way simple case folding knows: accents, ß and ẞ, the long s, the Kelvin sign,
/// titlecase digraphs, Greek final sigma and symbol forms, Cyrillic, Armenian, Georgian, Cherokee (whose lower
/// case folds to upper), Deseret (outside the BMP), Roman numerals, and the Turkish dotted and dotless i (which
/// simple folding keeps apart); and scripts without case, with marks and joiners inside words.
const WORDS: &[&str] = &[
    "créance",
    "Créance",
    "ÉTÉ",
    "straße",
    "STRAẞE",
    "ſtraße",
    "STRASSE",
    "\u{212A}elvin",
    "kelvin",
    "ǅemal",
    "ǆemal",
    "σοφίας",
    "ΣΟΦΊΑΣ",
    "σοφίασ",
    "ϐήτα",
    "βήτα",
    "закон",
    "ЗАКОН",
    "օրենք",
    "ՕՐԵՆՔ",
    "კანონი",
    "ᲙᲐᲜᲝᲜᲘ",
    "ᏣᎳᎩ",
    "ꮳꮃꭹ",
    "𐐔𐐯𐑅𐐨𐑉𐐯𐐻",
    "𐐼𐐯𐑅𐐨𐑉𐐯𐐻",
    "Ⅻ",
    "ⅻ",
    "İstanbul",
    "istanbul",
    "ıstanbul",
    "قانون",
    "חוק",
    "क़ानून",
    "कानून",
    "กฎหมาย",
    "法律",
    "법률",
    "٣٤",
    "12",
    "a_b",
    "x²",
    "Ǆ",
    "ǉ",
    "ﬁn",
    "fin",
    "n\u{303}o",
    "ño",
    "e\u{301}te\u{301}",
    "a\u{200D}b",
];

/// What stands between words: spaces of several kinds, punctuation, apostrophes, emoji with modifiers, flags.
const BETWEEN: &[&str] =
    &[" ", " ", " ", "\n", ", ", "-", "’", "'", "\u{a0}", " « ", " » ", ". ", "/", "👍🏽", "🇫🇷", "\u{200B}", "·", "\n\n"];

/// Provision texts, each a heading and a body of words drawn from [`WORDS`], each as written, upper- or
/// lower-cased.
fn texts() -> impl Strategy<Value = Vec<String>> {
    let word = (0..WORDS.len(), 0..BETWEEN.len(), 0..3usize);
    prop::collection::vec(prop::collection::vec(word, 1..14), 1..8).prop_map(|provisions| {
        provisions
            .into_iter()
            .map(|words| {
                let mut text = String::from("# ");
                for (n, (w, b, case)) in words.into_iter().enumerate() {
                    let word = match case {
                        0 => WORDS[w].to_string(),
                        1 => WORDS[w].to_uppercase(),
                        _ => WORDS[w].to_lowercase(),
                    };
                    text.push_str(&word);
                    text.push_str(if n == 0 { "\n\n" } else { BETWEEN[b] });
                }
                normalise(&text)
            })
            .collect()
    })
}

/// The provisions (file stems, upper-cased as ids are) whose files `rg -l -i -w -F` finds the word in.
fn rg_finds(folder: &Path, word: &str) -> BTreeSet<String> {
    let output = Command::new("rg")
        .args(["-l", "-i", "-w", "-F", "--glob", "*.md", "--", word])
        .arg(folder)
        .output()
        .expect("rg runs");
    assert!(output.status.code().is_some_and(|c| c <= 1), "rg failed: {}", String::from_utf8_lossy(&output.stderr));
    let paths = String::from_utf8(output.stdout).expect("utf-8 paths");
    paths.lines().filter_map(|p| Path::new(p).file_stem()?.to_str().map(str::to_uppercase)).collect()
}

#[test]
fn plain_words_find_what_ripgrep_finds_in_any_script() {
    if Command::new("rg").arg("--version").output().is_err() {
        assert!(std::env::var("INFORCE_REQUIRE_RG").is_err(), "ripgrep (rg) is required here but missing");
        println!("skipped: ripgrep (rg) is not installed (apt-get install ripgrep)");
        return;
    }
    let mut runner = TestRunner::new(Config { cases: 40, failure_persistence: None, ..Config::default() });
    let outcome = runner.run(&texts(), |texts| {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::write(root.join("versions.tsv"), "version_id\teffective_date\tlabel\nv1\t2016-01-01\tfirst\n")
            .expect("write");
        std::fs::create_dir(root.join("v1")).expect("mkdir");
        for (n, text) in texts.iter().enumerate() {
            std::fs::write(root.join(format!("v1/p{n}.md")), text).expect("write");
        }
        let folder = inforce_formats::folder::read_folder(root, &mut |_, _| {}).expect("the folder reads");
        let code = CodeId::parse("gen").expect("id");
        let import = TextImport {
            versions: &folder.versions,
            order: &folder.order,
            headings: &folder.headings,
            placements: inforce_core::import::no_placements(),
        };
        let merged = merge_versions(&code, None, &Texts::default(), import).expect("merges");
        let history =
            History::with_texts(merged.register, Texts { assignments: merged.assignments, bodies: folder.bodies });
        let index = SearchIndex::build(&history);
        // Every word of the texts as written, upper- and lower-cased, and a few words they may lack.
        let mut queries = BTreeSet::new();
        for text in &texts {
            for (_, word) in words(text) {
                // Queries are read composed (NFC), as the texts are: ripgrep is given that form too (the upper
                // case of `i̇`, `I` and a combining dot, composes to `İ`).
                for form in [word.to_string(), word.to_uppercase(), word.to_lowercase()] {
                    queries.extend(words(&nfc(&form)).map(|(_, w)| w.to_string()));
                }
            }
        }
        queries.extend(["STRASSE", "İSTANBUL", "ΣΟΦΙΑΣ", "x"].map(String::from));
        for query in queries.iter().take(24) {
            let parsed = parse(query).map_err(|e| TestCaseError::fail(format!("{query}: {e}")))?;
            let ours: BTreeSet<String> = index
                .search(&history, &parsed, Scope::AllVersions, None)
                .iter()
                .map(|hit| hit.provision.id.to_string())
                .collect();
            prop_assert_eq!(&ours, &rg_finds(root, query), "query {:?} over {:?}", query, texts);
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
