//! Every example of README.md runs as written. Each ```sh block's lines are run in README order, through the real
//! binary, in one sandbox (its own database, cache, data and home folders, today and clock pinned) whose folder
//! holds the files the examples name (`annex2.pdf`, a versioned `fr-code-civil/`, `my-code.toml`, …). A line
//! whose comment says `refused` must fail (and print the quoted message, if the comment quotes one); every other
//! line must succeed. `cargo` lines are not run; `serve` and `verify --remote` lines are checked with `--help`
//! added (their flags must parse) instead of being started; lines on the placeholder PostgreSQL URL run on a scratch database, and skip,
//! saying why, when PostgreSQL is absent (unless `INFORCE_REQUIRE_POSTGRES=1`).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Sandbox, write};
use inforce_store_postgres::scratch::ScratchDatabase;

const README: &str = include_str!("../../../README.md");
/// The built-in register, from which the sandbox's `corrected-sec.toml` is made.
const SEC: &str = include_str!("../../../data/sec.toml");
/// The PostgreSQL server the README's examples name; the test puts a scratch database in its place.
const PLACEHOLDER_POSTGRES: &str = "postgres://user@dbhost";

/// One line of a ```sh block.
struct Example {
    /// Its line number in README.md.
    line: usize,
    text: String,
    words: Vec<String>,
    /// Its trailing `# comment`, without the `#`.
    comment: String,
}

/// The ```sh blocks' lines that hold a command, in README order.
fn examples(readme: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut in_block = false;
    for (index, text) in readme.lines().enumerate() {
        let line = index + 1;
        let trimmed = text.trim();
        if !in_block {
            in_block = trimmed == "```sh";
            continue;
        }
        if trimmed == "```" {
            in_block = false;
            continue;
        }
        let (command, comment) = split_comment(text);
        if command.trim().is_empty() {
            continue;
        }
        assert!(!command.trim_end().ends_with('\\'), "README.md:{line}: continued lines are not supported: {text}");
        let words = shlex::split(command)
            .unwrap_or_else(|| panic!("README.md:{line}: unbalanced quotes or a trailing backslash: {text}"));
        examples.push(Example { line, text: trimmed.to_string(), words, comment: comment.trim().to_string() });
    }
    assert!(!in_block, "README.md: a ```sh block is not closed");
    examples
}

/// A line's command and its trailing comment: the first `#` outside quotes that begins a word.
fn split_comment(line: &str) -> (&str, &str) {
    let mut quote = None;
    let mut previous = ' ';
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        if escaped {
            escaped = false;
        } else if quote == Some(c) {
            quote = None;
        } else if quote.is_none() {
            match c {
                '\'' | '"' => quote = Some(c),
                '\\' => escaped = true,
                '#' if previous.is_whitespace() => return (&line[..at], &line[at + 1..]),
                _ => {}
            }
        } else if quote == Some('"') && c == '\\' {
            escaped = true;
        }
        previous = c;
    }
    (line, "")
}

/// The command an `inforce` line runs: its first word that is neither a flag nor a global flag's value.
fn subcommand(arguments: &[String]) -> Option<&str> {
    let mut words = arguments.iter();
    while let Some(word) = words.next() {
        if ["--db", "--code", "--format", "--as-recorded"].contains(&word.as_str()) {
            words.next();
        } else if !word.starts_with('-') {
            return Some(word);
        }
    }
    None
}

/// What a `# refused: "…"` comment quotes: the pieces between ellipses, each of which the error must contain.
fn quoted_fragments(comment: &str) -> Vec<String> {
    let Some(start) = comment.find('"') else { return Vec::new() };
    let rest = &comment[start + 1..];
    let quoted = rest.find('"').map_or(rest, |end| &rest[..end]);
    quoted.split('…').map(str::trim).filter(|f| !f.is_empty()).map(str::to_string).collect()
}

/// A small code in the layout of `../shared/corpora/fr-code-civil` (versions v001 to v071, the last in 2026), with
/// the articles the README's examples name: 1240 (reworded by v007), 143, and words the searches look for.
fn fr_code_civil(root: &Path) {
    let folder = root.join("fr-code-civil");
    let mut versions = String::from("version_id\teffective_date\tlabel\n");
    for n in 1..=71 {
        let (year, month) = (2016 + (n - 1) / 7, 1 + (n - 1) % 7);
        let id = format!("v{n:03}");
        versions.push_str(&format!("{id}\t{year}-{month:02}-01\tchanges in force from {year}-{month:02}-01\n"));
        let article = |number: &str, text: &str| write(&folder, &format!("{id}/{number}.md"), text);
        article(
            "143",
            "# Article 143\n\nLe mariage est contracté par deux personnes de sexe différent ou de même sexe.\n",
        );
        article(
            "515-1",
            "# Article 515-1\n\nUn pacte civil de solidarité (pacs) est un contrat conclu par deux personnes majeures.\n",
        );
        if n < 7 {
            article(
                "1240",
                "# Article 1240\n\nLe paiement fait de bonne foi à celui qui est en possession de la créance est \
                 valable.\n",
            );
        } else {
            article(
                "1240",
                "# Article 1240\n\nTout fait quelconque de l'homme, qui cause à autrui un dommage, oblige celui par \
                 la faute duquel il est arrivé à le réparer.\n",
            );
            article(
                "1342-3",
                "# Article 1342-3\n\nLe paiement fait de bonne foi à un créancier apparent est valable.\n",
            );
        }
        article("2274", &format!("# Article 2274\n\nLa bonne foi est toujours présumée (rédaction {}).\n", n.min(40)));
    }
    write(&folder, "versions.tsv", &versions);
    write(
        root,
        "CHANGES/1240.md",
        "# Article 1240\n\nTout fait quelconque de la personne, qui cause à autrui un dommage, oblige celle par la \
         faute de laquelle il est arrivé à le réparer.\n",
    );
    write(root, "CHANGES/removed.txt", "515-1\n");
}

/// The files the examples name, in the folder they run in.
fn fixtures(root: &Path) {
    write(root, "annex2.pdf", "%PDF-1.4\n% SEC4 Annex 2 (a stand-in)\n%%EOF\n");
    fr_code_civil(root);
    write(
        root,
        "my-code.toml",
        "[code]\nid = \"my-code\"\ntitle = \"An Example Act\"\n\n[[provision]]\nid = \"1\"\nkind = \"section\"\n\n\
         [[provision]]\nid = \"2\"\nkind = \"section\"\n\n[[version]]\nid = \"original\"\neffective = \"2008-11-26\"\n\
         instrument = \"designation\"\n\n[[version]]\nid = \"2010\"\neffective = \"2010-04-06\"\n\
         instrument = \"modification\"\nremoved = [\"2\"]\n",
    );
    let corrected = SEC.replacen(
        "sources = [\n  \"https://smartenergycodecompany.co.uk/\",\n",
        "sources = [\n  \"https://smartenergycodecompany.co.uk/\",\n  \"https://smartenergycodecompany.co.uk/the-sec/\",\n",
        1,
    );
    assert_ne!(corrected, SEC, "the correction made for corrected-sec.toml no longer applies to data/sec.toml");
    write(root, "corrected-sec.toml", &corrected);
}

#[test]
fn every_readme_example_runs_as_written() {
    let sandbox = Sandbox::new();
    let root = sandbox.dir.path();
    fixtures(root);
    let home = root.join("home");
    let data = home.join(".local/share");
    std::fs::create_dir_all(data.join("inforce")).expect("data folder");
    let postgres = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(ScratchDatabase::create("readme"));
    // What the examples' `export` lines set, for the lines after them (as in a shell).
    let mut exported: Vec<(String, String)> = Vec::new();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let mut serve_checked = false;
    // The Word examples name ../shared/docx (the invented SEC-like documents), as a user in this repository would.
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    for example in examples(README) {
        let at = format!("README.md:{}", example.line);
        let Some(program) = example.words.first() else { continue };
        if example.words.iter().any(|w| w.starts_with("../shared/")) && !shared.join("docx").is_dir() {
            assert!(std::env::var("INFORCE_REQUIRE_DOCX").is_err(), "{at}: ../shared/docx is required here");
            report.push(format!("{at}: skipped, ../shared/docx is absent: {}", example.text));
            continue;
        }
        let needs_postgres =
            example.words.iter().chain(exported.iter().map(|(_, v)| v)).any(|w| w.contains(PLACEHOLDER_POSTGRES));
        let placed = |word: &str| -> String {
            let word = match (word.strip_prefix("~/"), word.strip_prefix("../shared/")) {
                (Some(rest), _) => format!("{}/{rest}", home.display()),
                (_, Some(rest)) => format!("{}/{rest}", shared.display()),
                _ => word.to_string(),
            };
            match (&postgres, word.find(PLACEHOLDER_POSTGRES)) {
                (Some(database), Some(start)) => {
                    // The whole URL (to the end of the word) becomes the scratch database's.
                    format!("{}{}", &word[..start], database.url)
                }
                _ => word,
            }
        };
        match program.as_str() {
            "cargo" => {
                report.push(format!("{at}: not run (cargo): {}", example.text));
                continue;
            }
            "export" => {
                for assignment in &example.words[1..] {
                    let (name, value) = assignment
                        .split_once('=')
                        .unwrap_or_else(|| panic!("{at}: export without NAME=VALUE: {}", example.text));
                    exported.push((name.to_string(), placed(value)));
                }
                continue;
            }
            "inforce" => {}
            other => {
                failures.push(format!(
                    "{at}: the test runs only inforce, cargo and export lines, not '{other}'; change the example or \
                     teach crates/cli/tests/readme.rs: {}",
                    example.text
                ));
                continue;
            }
        }
        // `serve` runs until stopped, and `verify --remote` asks a running site: their flags are checked with
        // --help, which needs no database (crates/cli/tests/log.rs runs both).
        let serve = subcommand(&example.words[1..]) == Some("serve")
            || (subcommand(&example.words[1..]) == Some("verify") && example.words.iter().any(|w| w == "--remote"));
        if needs_postgres && postgres.is_none() && !serve {
            report.push(format!("{at}: skipped, PostgreSQL is not reachable: {}", example.text));
            continue;
        }
        let mut words: Vec<String> = example.words[1..].iter().map(|w| placed(w)).collect();
        if words.last().is_some_and(|w| w == "&") {
            words.pop();
        }
        let mut stdout_to = None;
        if let Some(index) = words.iter().position(|w| w == ">") {
            let file = words.get(index + 1).unwrap_or_else(|| panic!("{at}: '>' without a file"));
            stdout_to = Some(root.join(file));
            words.truncate(index);
        }
        if let Some(operator) =
            words.iter().find(|w| ["|", "||", "&&", ";", "<", ">>", "2>", "&"].contains(&w.as_str()))
        {
            failures.push(format!("{at}: the test cannot run shell operator '{operator}': {}", example.text));
            continue;
        }
        if serve {
            words.push("--help".to_string());
            serve_checked = true;
        }
        let mut command = Command::new(env!("CARGO_BIN_EXE_inforce"));
        for (name, _) in std::env::vars() {
            if name.starts_with("INFORCE_") {
                command.env_remove(name);
            }
        }
        command
            .args(&words)
            .current_dir(root)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", &data)
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env("INFORCE_DB", data.join("inforce/inforce.db"))
            .env("INFORCE_TODAY", "2026-11-28")
            .env("INFORCE_NOW", "2026-11-01T09:00:00Z")
            .envs(exported.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::null());
        let output = command.output().expect("run inforce");
        if let Some(file) = stdout_to {
            std::fs::write(file, &output.stdout).expect("write the redirected output");
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let refused = example.comment.starts_with("refused");
        let outcome = match (refused, output.status.success()) {
            (false, true) => Ok(if serve { "ok (serve: flags checked with --help)" } else { "ok" }),
            (true, false) => {
                let missing: Vec<String> =
                    quoted_fragments(&example.comment).into_iter().filter(|f| !stderr.contains(f.as_str())).collect();
                if missing.is_empty() {
                    Ok("refused, as documented")
                } else {
                    Err(format!("refused, but the error does not say {missing:?}"))
                }
            }
            (false, false) => Err(format!("failed ({})", output.status)),
            (true, true) => Err("documented as refused, but succeeded".to_string()),
        };
        match outcome {
            Ok(what) => {
                let first = String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").to_string();
                report.push(format!(
                    "{at}: {what}: {}\n    -> {}",
                    example.text,
                    first.chars().take(110).collect::<String>()
                ));
            }
            Err(what) => failures.push(format!("{at}: {what}: {}\n    stderr: {}", example.text, stderr.trim())),
        }
    }
    println!("{}", report.join("\n"));
    assert!(serve_checked, "README.md no longer shows `inforce serve`");
    assert!(failures.is_empty(), "README examples that do not run as written:\n{}", failures.join("\n"));
}

#[test]
fn comments_and_quotes_are_read_as_a_shell_reads_them() {
    assert_eq!(split_comment("inforce a   # b # c"), ("inforce a   ", " b # c"));
    assert_eq!(split_comment("inforce search '# x' \"y # z\" a#b"), ("inforce search '# x' \"y # z\" a#b", ""));
    let parsed =
        examples("```sh\ninforce search '\"bonne foi\"' --at 2018-06-01   # a phrase\n   # only a comment\n```\n");
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0].words, ["inforce", "search", "\"bonne foi\"", "--at", "2018-06-01"]);
    assert_eq!(parsed[0].comment, "a phrase");
    let words = |line: &str| shlex::split(line).expect("words");
    assert_eq!(subcommand(&words("--db postgres://x/y serve --addr 0.0.0.0:1")), Some("serve"));
    assert_eq!(subcommand(&words("search serve --code fr-civil")), Some("search"));
    assert_eq!(
        quoted_fragments(r#"refused: "MP301 is at 'development' … allowed next: a, b""#),
        ["MP301 is at 'development'", "allowed next: a, b"]
    );
}
