//! Line numbers as eje counts them (one rule for every printer and the
//! language server): a line ends at LF, CRLF or a lone CR; U+2028, U+0085,
//! form feed and vertical tab do not end a line.

/// Where each line of a text starts, made once per text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of every line; the first is 0.
    starts: Vec<usize>,
    len: usize,
}

/// A 0-based position in UTF-16 code units, as the language server protocol
/// counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Utf16Pos {
    pub line: u32,
    pub character: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// How many lines the text has (an empty last line counts).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Byte offset where a 0-based line starts (the end of the text past the
    /// last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// 1-based line and column (in characters) of a byte offset, as printed
    /// in `file:line:column`. An offset inside a character counts as its
    /// start.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        (line + 1, text[start..offset].chars().count() + 1)
    }

    /// The language server's position of a byte offset.
    pub fn utf16(&self, text: &str, offset: usize) -> Utf16Pos {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let character = text[start..offset]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>();
        Utf16Pos {
            line: line as u32,
            character: character as u32,
        }
    }

    /// The byte offset of a language server position; a column past the end
    /// of its line is the end of the line (before its line break), a line
    /// past the end is the end of the text.
    pub fn offset(&self, text: &str, pos: Utf16Pos) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return self.len;
        }
        let start = self.starts[line];
        let end = self.line_end(text, line);
        let mut units = 0usize;
        for (i, c) in text[start..end].char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// Byte range of a 0-based line, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        start..self.line_end(text, line).max(start)
    }

    /// Byte offset of the end of a 0-based line, before its line break.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let Some(&next) = self.starts.get(line + 1) else {
            return self.len;
        };
        let bytes = text.as_bytes();
        if next >= 2 && bytes[next - 1] == b'\n' && bytes[next - 2] == b'\r' {
            next - 2
        } else {
            next - 1
        }
    }
}

pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_crlf_and_lone_cr_end_lines_and_nothing_else_does() {
        let t = "a\nb\r\nc\rd\u{2028}e\u{85}f\x0cg\x0bh";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_count(), 4);
        assert_eq!(ix.line_col(t, t.find('b').unwrap()), (2, 1));
        assert_eq!(ix.line_col(t, t.find('c').unwrap()), (3, 1));
        assert_eq!(ix.line_col(t, t.find('d').unwrap()), (4, 1));
        assert_eq!(ix.line_col(t, t.find('h').unwrap()), (4, 9));
        // The CR of a CRLF belongs to its line.
        assert_eq!(ix.line_of(t.find('\r').unwrap()), 1);
    }

    #[test]
    fn utf16_columns_round_trip() {
        let t = "é𝄞x\r\nyz";
        let ix = LineIndex::new(t);
        let x = t.find('x').unwrap();
        let p = ix.utf16(t, x);
        assert_eq!(
            p,
            Utf16Pos {
                line: 0,
                character: 3
            }
        );
        assert_eq!(ix.offset(t, p), x);
        // Past the end of a line: its end, before the CRLF.
        assert_eq!(
            ix.offset(
                t,
                Utf16Pos {
                    line: 0,
                    character: 99
                }
            ),
            x + 1
        );
        assert_eq!(
            ix.offset(
                t,
                Utf16Pos {
                    line: 1,
                    character: 1
                }
            ),
            t.len() - 1
        );
        assert_eq!(
            ix.offset(
                t,
                Utf16Pos {
                    line: 7,
                    character: 0
                }
            ),
            t.len()
        );
        assert_eq!(ix.line_end(t, 1), t.len());
    }
}
