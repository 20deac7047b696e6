//! Name normalisation: the one key every lookup by name or alias uses.
//!
//! `Vladímir Putin`, `vladimir putin` and `VLADIMIR-PUTIN` share a key:
//! Unicode NFKC, case folded, accents removed, hyphens and punctuation read
//! as spaces, runs of spaces collapsed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The lookup key of a name.
pub fn normalize(name: &str) -> String {
    if name.is_ascii() {
        return normalize_ascii(name);
    }
    normalize_unicode(name)
}

/// `normalize` for ASCII, which every Unicode step leaves as it is but
/// case: most ids and names, and much cheaper.
fn normalize_ascii(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            pending_space = true;
        }
    }
    out
}

fn normalize_unicode(name: &str) -> String {
    let folded: String = name.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(folded.len());
    let mut pending_space = false;
    for c in folded.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            // Whitespace, hyphens, dots, apostrophes and other punctuation
            // all separate words.
            pending_space = true;
        }
    }
    // Recompose what survives (Hangul, CJK and Cyrillic stay intact).
    out.nfc().collect()
}

/// Whether `text` names `name`: its normalised words appear in `text`'s,
/// whole and in a row (`Moscú` is in "en Moscú,", `Kim` is not in
/// "Kimberley"). Both sides are normalised here.
pub fn mentions(text: &str, name: &str) -> bool {
    let name = normalize(name);
    !name.is_empty() && mentions_key(&normalize(text), &name)
}

/// `mentions` for an already normalised text and name.
pub fn mentions_key(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        before.is_none_or(|c| c == ' ') && after.is_none_or(|c| c == ' ')
    })
}

/// The closest candidates to `wanted` by normalised edit distance, best
/// first, for "did you mean" suggestions.
pub fn nearest<'a, I>(wanted: &str, candidates: I, limit: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let key = normalize(wanted);
    let mut scored: Vec<(f64, &'a str)> = candidates
        .into_iter()
        .map(|c| {
            let ck = normalize(c);
            let mut score = strsim::normalized_damerau_levenshtein(&key, &ck);
            // A prefix or a whole word in common is a strong hint.
            if !key.is_empty() && (ck.starts_with(&key) || ck.split(' ').any(|w| w == key)) {
                score = score.max(0.8);
            }
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_share_a_key() {
        assert_eq!(normalize("Vladímir Putin"), "vladimir putin");
        assert_eq!(normalize("  VLADIMIR-PUTIN "), "vladimir putin");
        assert_eq!(normalize("Kim Jong-un"), normalize("Kim Jong Un"));
        assert_eq!(normalize("Moscú"), "moscu");
        assert_eq!(normalize("Medvédev"), "medvedev");
        assert_eq!(normalize("Serguéi Lavrov"), "serguei lavrov");
        assert_eq!(normalize("80.º aniversario"), "80 o aniversario");
        assert_eq!(normalize("김정은"), "김정은");
        assert_eq!(normalize("Путин"), "путин");
    }

    #[test]
    fn the_ascii_shortcut_agrees_with_the_unicode_steps() {
        let samples = [
            "",
            " ",
            "-",
            "Kim Jong-un",
            "  VLADIMIR-PUTIN ",
            "per0000012",
            "a_b",
            "A.B.",
            "x\ty\nz",
            "80.o aniversario",
            "O'Brien",
            "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
        ];
        for s in samples {
            assert_eq!(normalize_ascii(s), normalize_unicode(s), "{s:?}");
        }
        for b in 0u8..128 {
            let s = format!("a{}B{}", char::from(b), char::from(b));
            assert_eq!(normalize_ascii(&s), normalize_unicode(&s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_ascii_takes_the_same_key_either_way(s in "[\\x00-\\x7f]{0,32}") {
            proptest::prop_assert_eq!(normalize_ascii(&s), normalize_unicode(&s));
        }
    }

    #[test]
    fn mentions_finds_whole_words_only() {
        assert!(mentions(
            "Lavrov recibió a Choe en Moscú, el lunes",
            "moscu"
        ));
        assert!(mentions("el mandatario ruso dijo", "El mandatario ruso"));
        assert!(!mentions("Kimberley", "Kim"));
        assert!(!mentions("el presidente", "presidentes"));
        assert!(!mentions("texto", "  "));
        assert!(mentions("Kim Jong-un llegó", "Kim Jong Un"));
    }

    #[test]
    fn nearest_ranks_close_names_first() {
        let names = ["kim_jong_un", "kim_il_sung", "putin", "lavrov"];
        assert_eq!(nearest("kim_jong_il", names, 2)[0], "kim_jong_un");
        assert!(nearest("zzzzzz", names, 3).is_empty());
    }
}
