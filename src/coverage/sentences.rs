//! Sentences of an article: Unicode sentence boundaries (UAX #29) with
//! three corrections for Spanish news text. A boundary is dropped after an
//! abbreviation (`Sr.`, `EE.UU.`, an initial), between the parts of a
//! number written with dots (`15.000`), and inside a quotation (`«...»`,
//! `“...”`, `"..."`), so that quoted speech of several sentences stays
//! with the words that introduce it. A line break always ends a sentence:
//! articles put headline, captions and paragraphs on lines of their own.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Abbreviations that end in a dot without ending a sentence, lowercase and
/// without their final dot.
const ABBREVIATIONS: &[&str] = &[
    "sr", "sra", "srta", "sres", "sras", "dr", "dra", "dres", "d", "dña", "lic", "ing", "prof",
    "profa", "gral", "gen", "cnel", "tte", "cap", "sgto", "mons", "pdte", "vda", "ud", "uds", "vd",
    "vds", "av", "avda", "pág", "págs", "vol", "núm", "art", "arts", "cía", "hnos", "ee.uu",
    "ee. uu", "ee.uu.", "uu", "p.ej", "p. ej", "aprox", "admón", "dpto", "mr", "mrs", "ms", "jr",
    "st", "vs", "u.s", "a.c", "d.c", "a.m", "p.m",
];

/// The sentences of `text`, as byte ranges without surrounding whitespace.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let fragments: Vec<(usize, &str)> = text.split_sentence_bound_indices().collect();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut depth = Quotes::default();
    for (k, &(at, frag)) in fragments.iter().enumerate() {
        let begin = *start.get_or_insert(at);
        depth.feed(frag);
        let end = at + frag.len();
        let hard = frag.ends_with(['\n', '\r']);
        let next = fragments.get(k + 1).map(|(_, f)| *f);
        let keep_going = !hard
            && next.is_some()
            && (depth.open()
                || ends_with_abbreviation(&text[begin..end])
                || splits_number(&text[begin..end], next.unwrap_or("")));
        if keep_going {
            continue;
        }
        push_trimmed(text, begin..end, &mut out);
        start = None;
        depth = Quotes::default();
    }
    out
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead < s.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

/// Open quotations: guillemets and curly quotes nest, a straight double
/// quote opens or closes.
#[derive(Debug, Default)]
struct Quotes {
    nested: i32,
    straight: bool,
}

impl Quotes {
    fn feed(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '«' | '“' => self.nested += 1,
                '»' | '”' => self.nested = (self.nested - 1).max(0),
                '"' => self.straight = !self.straight,
                _ => {}
            }
        }
    }

    fn open(&self) -> bool {
        self.nested > 0 || self.straight
    }
}

/// Whether the text ends with an abbreviation's dot (and its spaces).
fn ends_with_abbreviation(s: &str) -> bool {
    let s = s.trim_end();
    let Some(body) = s.strip_suffix('.') else {
        return false;
    };
    // The last word, without the brackets and quotes before it.
    let word = body
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // `EE.UU`, `EE. UU`: the last two words together.
    let two: Vec<&str> = body.rsplitn(3, char::is_whitespace).collect();
    if two.len() >= 2 {
        let pair = format!("{} {}", two[1], two[0]).to_lowercase();
        let pair = pair.trim_start_matches(|c: char| !c.is_alphanumeric());
        if ABBREVIATIONS.contains(&pair) {
            return true;
        }
    }
    // An initial (`John F.`) or dotted capitals (`O.N.U`).
    word.split('.').all(|part| {
        let n = part.chars().count();
        (1..=2).contains(&n) && part.chars().all(char::is_uppercase)
    })
}

/// Whether a boundary falls between the parts of a dotted number
/// (`15.` then `000`).
fn splits_number(before: &str, after: &str) -> bool {
    let mut rev = before.chars().rev();
    rev.next() == Some('.')
        && rev.next().is_some_and(|c| c.is_ascii_digit())
        && after.chars().next().is_some_and(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn plain_sentences_and_lines() {
        assert_eq!(
            split("Uno dos. Tres cuatro.\nCinco seis\n\nSiete."),
            ["Uno dos.", "Tres cuatro.", "Cinco seis", "Siete."]
        );
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            split("Lo dijo el Sr. Pérez en EE.UU. Después se fue. Habló con John F. Kennedy."),
            [
                "Lo dijo el Sr. Pérez en EE.UU. Después se fue.",
                "Habló con John F. Kennedy."
            ]
        );
        assert_eq!(
            split("Visitó EE. UU. Luego Canadá."),
            ["Visitó EE. UU. Luego Canadá."]
        );
    }

    #[test]
    fn numbers_with_dots_stay_whole() {
        assert_eq!(
            split("Envió 15.000 soldados. Y 1.500.000 obuses."),
            ["Envió 15.000 soldados.", "Y 1.500.000 obuses."]
        );
    }

    #[test]
    fn quotations_stay_whole() {
        assert_eq!(
            split("“Es un placer. Salude a Kim”, dijo. «Uno. Dos» y \"Tres. Cuatro\" fin. Otra."),
            [
                "“Es un placer. Salude a Kim”, dijo.",
                "«Uno. Dos» y \"Tres. Cuatro\" fin.",
                "Otra."
            ]
        );
        // An unclosed quotation ends at the line break.
        assert_eq!(split("«Uno. Dos.\nTres."), ["«Uno. Dos.", "Tres."]);
    }
}
