//! What a person reads of markup. The web crate's tests include this file too (`crates/web/tests/common/mod.rs`),
//! so pages read the same in both suites.

/// The text a person reads on a page or in a feed: without tags, attributes (where addresses keep their keys)
/// or Atom ids, and with the entities the markup escapes characters by read as those characters.
pub fn visible(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out.lines().filter(|l| !l.trim_start().starts_with("tag:inforce")).collect::<Vec<_>>().join("\n");
    unescape(&text)
}

/// `text` with the entities HTML escaping writes (`&lt;`, `&#60;`, `&quot;`, …) read as their characters.
pub fn unescape(text: &str) -> String {
    let entities = [("&lt;", "<"), ("&#60;", "<"), ("&gt;", ">"), ("&#62;", ">"), ("&quot;", "\""), ("&#34;", "\"")];
    let text = entities.iter().fold(text.to_string(), |text, (entity, c)| text.replace(entity, c));
    text.replace("&#39;", "'").replace("&#38;", "&").replace("&amp;", "&")
}
