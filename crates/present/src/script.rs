//! Data written into JavaScript: the one escaping every string goes through before it lands in a script.
//!
//! JSON is not quite JavaScript, and a script is not quite text: U+2028 and U+2029 end a `//` comment and, in
//! engines before ES2019, a string literal; `</script` closes an inline script whatever quotes it is in; `<!--`
//! opens an HTML-like comment that swallows the rest of a line (ECMA-262, Annex B.1.1). serde_json leaves all of
//! them as they are. Everything the site writes into a script passes through [`json`], which writes them as
//! `\u` escapes inside string literals, where they read back as the same characters.

use serde::Serialize;

/// `value` as a JavaScript expression (a JSON text with the characters above escaped), safe in an external
/// script and inside `<script>…</script>`. Errors are serde_json's (a map with non-string keys, say).
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    Ok(escape_json(&serde_json::to_string(value)?))
}

/// A JSON text with the characters that end or open something in a script escaped. Outside string literals a
/// JSON text holds only punctuation, digits and keywords, so each of them is inside a string, where `\uXXXX`
/// means the same character.
fn escape_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            // `<` written as an escape breaks `</script`, `<!--` and `<script` alike.
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_paragraph_separators_and_markup_are_escaped_and_read_back_the_same() {
        let value = "a\u{2028}b\u{2029}c</script><!-- d\r\ne";
        let written = json(value).expect("a string");
        assert_eq!(written, r#""a\u2028b\u2029c\u003c/script\u003e\u003c!-- d\r\ne""#);
        for forbidden in ['\u{2028}', '\u{2029}', '<', '>', '\n', '\r'] {
            assert!(!written.contains(forbidden), "{forbidden:?} in {written}");
        }
        assert_eq!(serde_json::from_str::<String>(&written).expect("JSON"), value);
    }

    #[test]
    fn keys_are_escaped_too() {
        let mut map = std::collections::BTreeMap::new();
        map.insert("</script>", 1);
        assert_eq!(json(&map).expect("a map"), r#"{"\u003c/script\u003e":1}"#);
    }
}
