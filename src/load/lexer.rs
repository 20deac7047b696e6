//! The one lexer of RON text, shared by the fast deserializer (`fast`) and
//! the position map (`outline`): whitespace and comments, strings (plain,
//! raw, byte and character literals), words (identifiers and numbers) and
//! single punctuation bytes, all as byte offsets into the text.
//!
//! It only finds where tokens end and what they contain; what a token means
//! is up to its reader. `fast` is strict (an unterminated comment, a control
//! character in a string or an unknown escape send the file to ron) and
//! `outline` is lenient (it runs on files ron accepted, and must never fail).

use std::borrow::Cow;
use std::ops::Range;

/// A cursor over a RON text.
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Byte offset of the cursor; never past the end of the text.
    pub pos: usize,
}

/// A quoted string: where its body is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrToken {
    /// The text between the quotes, escapes as written.
    pub body: Range<usize>,
    /// Whether the body holds a backslash escape.
    pub escaped: bool,
    /// Whether the body holds a control character (below U+0020).
    pub control: bool,
    /// Whether the closing quote was found before the end of the text.
    pub closed: bool,
}

/// A byte that can be part of an identifier (non-ASCII bytes count, so a
/// word never ends inside a UTF-8 sequence).
pub fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// A byte that can be part of a word: an identifier or a number
/// (`-1.5e+3`, `0x1f`, `1_000`).
pub fn is_word_byte(c: u8) -> bool {
    is_ident_byte(c) || matches!(c, b'-' | b'+' | b'.')
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Self::at(text, 0)
    }

    /// A lexer whose cursor starts at `pos` (clamped to the text).
    pub fn at(text: &'a str, pos: usize) -> Self {
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos: pos.min(text.len()),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The byte at the cursor.
    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The byte `n` after the cursor.
    pub fn peek_at(&self, n: usize) -> Option<u8> {
        self.bytes.get(self.pos + n).copied()
    }

    /// Moves the cursor `n` bytes on, at most to the end.
    pub fn bump(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.bytes.len());
    }

    pub fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// Skips whitespace (ASCII, as `u8::is_ascii_whitespace`), `//` line
    /// comments and nested `/* */` block comments. Returns `false` when a
    /// block comment is not closed; the cursor is then at the end.
    pub fn skip_trivia(&mut self) -> bool {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.peek_at(1) == Some(b'/') => {
                    match self.bytes[self.pos..].iter().position(|&c| c == b'\n') {
                        Some(n) => self.pos += n,
                        None => self.pos = self.bytes.len(),
                    }
                }
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    // RON block comments nest.
                    let mut depth = 0usize;
                    loop {
                        let rest = &self.bytes[self.pos..];
                        if rest.is_empty() {
                            return false;
                        } else if rest.starts_with(b"/*") {
                            depth += 1;
                            self.pos += 2;
                        } else if rest.starts_with(b"*/") {
                            depth -= 1;
                            self.pos += 2;
                            if depth == 0 {
                                break;
                            }
                        } else {
                            self.pos += 1;
                        }
                    }
                }
                _ => return true,
            }
        }
    }

    /// A quoted string whose opening `"` is at the cursor; the cursor ends
    /// after the closing quote (or at the end of the text).
    pub fn string(&mut self) -> StrToken {
        self.pos += 1;
        let start = self.pos;
        let (mut escaped, mut control) = (false, false);
        while let Some(&c) = self.bytes.get(self.pos) {
            match c {
                b'"' => {
                    self.pos += 1;
                    return StrToken {
                        body: start..self.pos - 1,
                        escaped,
                        control,
                        closed: true,
                    };
                }
                b'\\' => {
                    escaped = true;
                    self.pos += 2;
                }
                c if c < 0x20 => {
                    control = true;
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        self.pos = self.bytes.len();
        StrToken {
            body: start..self.pos,
            escaped,
            control,
            closed: false,
        }
    }

    /// A character literal whose opening `'` is at the cursor.
    pub fn char_lit(&mut self) {
        self.pos += 1;
        while let Some(&c) = self.bytes.get(self.pos) {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'\'' => break,
                _ => {}
            }
        }
        self.pos = self.pos.min(self.bytes.len());
    }

    /// A raw string (`r"..."`, `r#"..."#`) whose `r` is at the cursor.
    pub fn raw_string(&mut self) {
        self.pos += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        self.pos += 1; // the opening quote
        while self.pos < self.bytes.len() {
            if self.bytes[self.pos] == b'"'
                && self.bytes[self.pos + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&c| c == b'#')
                    .count()
                    == hashes
            {
                self.pos += 1 + hashes;
                break;
            }
            self.pos += 1;
        }
        self.pos = self.pos.min(self.bytes.len());
    }

    /// A word: the longest run of identifier bytes, `-`, `+` and `.` at
    /// the cursor (possibly empty).
    pub fn word(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(is_word_byte) {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    /// Where the run of identifier bytes starting at `from` ends.
    pub fn ident_end(&self, from: usize) -> usize {
        let mut j = from;
        while j < self.bytes.len() && is_ident_byte(self.bytes[j]) {
            j += 1;
        }
        j
    }
}

/// Whether a word is a plain identifier (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_plain_ident(word: &str) -> bool {
    let b = word.as_bytes();
    b.first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// A plain decimal number: `-12`, `3.5`, `1.5e3`; its value and whether it
/// is written as an integer. `None` for any other form (`1_000`, `0x1f`,
/// `1f64`, `.5`, `+1`, leading zeros), for integers of more than 15 digits
/// (so that every accepted integer is exact in an `f64`), and for values
/// that do not fit an `f64`.
pub fn plain_number(word: &str) -> Option<(f64, bool)> {
    let b = word.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > s
    };
    let int_start = i;
    if !digits(&mut i) {
        return None;
    }
    let int_len = i - int_start;
    let mut integer = true;
    if b.get(i) == Some(&b'.') {
        i += 1;
        integer = false;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        integer = false;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    if int_len > 1 && b[int_start] == b'0' {
        return None;
    }
    if integer && int_len > 15 {
        return None;
    }
    let v: f64 = word.parse().ok()?;
    v.is_finite().then_some((v, integer))
}

/// The value of a string body with the common escapes (`\"`, `\\`, `\n`,
/// `\t`, `\r`); `None` for any other escape.
pub fn unescape(body: &str) -> Option<Cow<'_, str>> {
    if !body.contains('\\') {
        return Some(Cow::Borrowed(body));
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let c = match rest.as_bytes().get(at + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            _ => return None,
        };
        out.push(c);
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivia_ends_at_the_next_token() {
        let text = "  // line ( \n /* a /* nested */ \" */\t(";
        let mut lx = Lexer::new(text);
        assert!(lx.skip_trivia());
        assert_eq!(lx.peek(), Some(b'('));
        assert_eq!(lx.pos, text.len() - 1);
    }

    #[test]
    fn an_unclosed_block_comment_is_reported() {
        let mut lx = Lexer::new("x /* /* */");
        lx.bump(1);
        assert!(!lx.skip_trivia());
        assert!(lx.at_end());
    }

    #[test]
    fn strings_report_escapes_control_characters_and_their_end() {
        let text = r#""a\"b" "plain" "open"#;
        let mut lx = Lexer::new(text);
        let s = lx.string();
        assert_eq!(
            (&text[s.body.clone()], s.escaped, s.closed),
            ("a\\\"b", true, true)
        );
        assert_eq!(unescape(&text[s.body]).as_deref(), Some("a\"b"));
        lx.skip_trivia();
        let s = lx.string();
        assert_eq!((&text[s.body.clone()], s.escaped), ("plain", false));
        assert!(matches!(
            unescape(&text[s.body]),
            Some(Cow::Borrowed("plain"))
        ));
        lx.skip_trivia();
        let s = lx.string();
        assert!(!s.closed);
        assert!(lx.at_end());
        let mut lx = Lexer::new("\"a\tb\" \"\\");
        assert!(lx.string().control);
        lx.skip_trivia();
        let s = lx.string();
        assert!(!s.closed);
        assert_eq!(lx.pos, 8);
        assert_eq!(unescape("\\u{61}"), None);
    }

    #[test]
    fn words_and_numbers() {
        let mut lx = Lexer::new("-1.5e+3,On(");
        assert_eq!(lx.word(), "-1.5e+3");
        lx.bump(1);
        assert_eq!(lx.word(), "On");
        assert_eq!(lx.peek(), Some(b'('));
        assert_eq!(plain_number("-12"), Some((-12.0, true)));
        assert_eq!(plain_number("1.5e3"), Some((1500.0, false)));
        for bad in [
            "1_000",
            "0x1f",
            "1f64",
            ".5",
            "+1",
            "007",
            "1.",
            "1e",
            "-",
            "",
            "1234567890123456",
            "1e999",
        ] {
            assert_eq!(plain_number(bad), None, "{bad}");
        }
        assert!(is_plain_ident("_a1"));
        assert!(!is_plain_ident("1a"));
        assert!(!is_plain_ident("é"));
        assert!(!is_plain_ident("a.b"));
    }
}
