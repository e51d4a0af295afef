//! The text side of search, the same for every database: what is stored, and what a query
//! looks up.

use std::collections::HashSet;

/// Text as it is indexed and searched: lower-case, so search ignores case.
pub fn normalise(text: &str) -> String {
    text.to_lowercase()
}

/// Escapes `%`, `_` and `\` so that text inside a LIKE pattern matches literally (the query
/// says `ESCAPE '\'`).
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `%text%`, escaped.
pub fn contains_pattern(needle: &str) -> String {
    format!("%{}%", escape_like(needle))
}

/// Whether the grams table can hold this character inside a word. Its tokenizer (`ascii`)
/// splits words at ASCII punctuation and spaces and keeps every other character.
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii()
}

/// Each distinct character and each distinct pair of neighbouring characters of `text`, as
/// space-separated words: a one-character query is then the word `c`, a two-character query
/// the word `ab`.
pub fn grams(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut seen = HashSet::new();
    let mut out = String::with_capacity(text.len() * 3);
    let mut push = |word: &[char]| {
        if word.iter().all(|&c| is_word_char(c)) && seen.insert(word.to_vec()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word);
        }
    };
    for c in &chars {
        push(std::slice::from_ref(c));
    }
    for pair in chars.windows(2) {
        push(pair);
    }
    out
}

/// Of a long query's trigrams, this many are looked up at most, spread over the query; the
/// rest narrow little and each costs a posting list.
pub const MAX_TRIGRAMS: usize = 12;

/// Trigrams of `needle` (three characters or more) that together cover every character: one
/// at every third position and the last, distinct, sampled down to [`MAX_TRIGRAMS`]. A
/// document holding the needle holds them all; the overlapping ones between them would narrow
/// little more (the store checks the text itself) and each costs the index a posting list to
/// open: "energy" looks up `ene` and `rgy`, not four. Linear in the query's length.
pub fn trigrams(needle: &str) -> Vec<String> {
    let chars: Vec<char> = needle.chars().collect();
    if chars.len() < 3 {
        return Vec::new();
    }
    let last = chars.len() - 3;
    let mut seen = HashSet::new();
    let distinct: Vec<String> = (0..=last)
        .step_by(3)
        .chain((!last.is_multiple_of(3)).then_some(last))
        .map(|at| chars[at..at + 3].iter().collect::<String>())
        .filter(|trigram| seen.insert(trigram.clone()))
        .collect();
    let step = distinct.len().div_ceil(MAX_TRIGRAMS).max(1);
    distinct.into_iter().step_by(step).collect()
}

/// A word for an FTS5 MATCH: quoted, with quotes doubled.
pub fn fts_quote(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_are_each_character_and_pair_once_without_punctuation() {
        assert_eq!(grams("aba"), "a b ab ba");
        assert_eq!(grams("上海 a-1"), "上 海 a 1 上海");
    }

    #[test]
    fn trigrams_cover_the_query_distinct_and_sampled() {
        assert_eq!(trigrams("lotus"), ["lot", "tus"]);
        assert_eq!(trigrams("energy"), ["ene", "rgy"]);
        assert_eq!(trigrams("0012345"), ["001", "234", "345"]);
        assert_eq!(trigrams("abc"), ["abc"]);
        assert_eq!(trigrams("aaaa"), ["aaa"]);
        assert!(trigrams("ab").is_empty());
        let long = trigrams("abcdefghijklmnopqrstuvwxyz0123456789");
        assert!(long.len() <= MAX_TRIGRAMS);
        assert_eq!(long[0], "abc");
    }

    #[test]
    fn a_long_repetitive_query_takes_linear_time() {
        // 64,000 characters took seconds when de-duplicating was quadratic.
        let query: String = (0..64_000u32)
            .map(|n| char::from(b'a' + (n.wrapping_mul(7919) % 26) as u8))
            .collect();
        let started = std::time::Instant::now();
        let sampled = trigrams(&query);
        assert!(sampled.len() <= MAX_TRIGRAMS);
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
    }

    #[test]
    fn like_wildcards_and_fts_quotes_are_escaped() {
        assert_eq!(escape_like("100%_a\\b"), "100\\%\\_a\\\\b");
        assert_eq!(fts_quote("a\"b"), "\"a\"\"b\"");
    }
}
