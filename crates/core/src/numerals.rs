//! Numbers as legal lists write them, and back: lower-case Roman numerals (i … mmmcmxcix) and Word's letters
//! (a … z, then aa … zz: the letter repeated, not a base-26 number). One home for the Word reader, which writes
//! them, and the pages, which read sub-paragraph labels back.

const ROMAN: [(i64, &str); 13] = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
];

/// `n` in lower-case Roman numerals, for 1 to 3999 (as Word writes them); any other number in decimal.
pub fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let mut rest = n;
    let mut out = String::new();
    for (value, digits) in ROMAN {
        while rest >= value {
            out.push_str(digits);
            rest -= value;
        }
    }
    out
}

/// The value of a lower-case Roman numeral spelled as [`roman`] spells it (so `iiii` and `vx` are none).
pub fn roman_value(label: &str) -> Option<i64> {
    // The longest numeral Word writes is 15 letters (mmmdccclxxxviii); anything else is refused by the spelling
    // check at the end, which a label of other letters (each worth nothing) cannot pass.
    if label.len() > 15 {
        return None;
    }
    let digit = |c| ROMAN.iter().find(|(_, d)| d.len() == 1 && d.starts_with(c)).map_or(0, |(v, _)| *v);
    let digits: Vec<i64> = label.chars().map(digit).collect();
    let mut total = 0;
    for (n, value) in digits.iter().enumerate() {
        match digits.get(n + 1) {
            Some(next) if next > value => total -= value,
            _ => total += value,
        }
    }
    (roman(total) == label).then_some(total)
}

/// `n` in Word's lower-case letters: a … z, then aa … zz, aaa; a number below 1 in decimal.
pub fn letters(n: i64) -> String {
    if n < 1 {
        return n.to_string();
    }
    let index = n - 1;
    let letter = char::from(b'a' + (index % 26) as u8);
    std::iter::repeat_n(letter, (index / 26 + 1) as usize).collect()
}

/// The letter label after `label` in Word's letters (a → b, z → aa, aa → bb); `None` when `label` is not one.
pub fn next_letters(label: &str) -> Option<String> {
    let first = label.chars().next()?;
    if !label.chars().all(|c| c == first) || !first.is_ascii_lowercase() {
        return None;
    }
    Some(if first == 'z' {
        "a".repeat(label.len() + 1)
    } else {
        char::from(first as u8 + 1).to_string().repeat(label.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_and_letters_are_written_and_read_back_as_word_writes_them() {
        assert_eq!([1, 4, 9, 14, 40, 1999, 3999].map(roman), ["i", "iv", "ix", "xiv", "xl", "mcmxcix", "mmmcmxcix"]);
        assert_eq!([0, 4000, -3].map(roman), ["0", "4000", "-3"]);
        for n in 1..4000 {
            assert_eq!(roman_value(&roman(n)), Some(n));
        }
        assert_eq!(["iiii", "vx", "", "ic", "a"].map(roman_value), [None; 5]);
        assert_eq!([1, 2, 26, 27, 28, 53].map(letters), ["a", "b", "z", "aa", "bb", "aaa"]);
        assert_eq!(letters(0), "0");
        assert_eq!(next_letters("a").as_deref(), Some("b"));
        assert_eq!(next_letters("z").as_deref(), Some("aa"));
        assert_eq!(next_letters("bb").as_deref(), Some("cc"));
        assert_eq!(next_letters("ab"), None);
        assert_eq!(next_letters("A"), None);
        for n in 1..200 {
            assert_eq!(next_letters(&letters(n)), Some(letters(n + 1)));
        }
    }
}
