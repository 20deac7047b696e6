//! Answers written row by row as the engine makes them (CSV and JSON),
//! for an answer nothing forces to be held: the same bytes `render` gives
//! for the whole answer, with memory that stays flat however many rows
//! there are.

use std::io::{BufWriter, Write};
use std::sync::{Arc, Mutex};

use super::Format;
use super::csv::csv_field;
use super::json::json_value;
use crate::diag::visible;
use crate::model::{Graph, Value};
use crate::query::limits::{RowSink, RowStream};

/// A stream of rows to `out` in `format` (CSV or JSON; `None` for the
/// formats that need the whole answer first). `terminal`: the text goes to
/// a terminal (CSV shows control characters as escapes, as `render` does).
pub fn row_stream<W: Write + Send + 'static>(
    graph: Arc<Graph>,
    format: Format,
    terminal: bool,
    out: W,
) -> Option<(RowStream, Arc<Mutex<Streamed<W>>>)> {
    if !matches!(format, Format::Csv | Format::Json) {
        return None;
    }
    let sink = Arc::new(Mutex::new(Streamed {
        graph,
        format,
        terminal,
        out: BufWriter::with_capacity(64 * 1024, out),
        answers: 0,
        rows: 0,
        csv: Vec::new(),
    }));
    Some((RowStream(sink.clone()), sink))
}

/// The state of a row stream.
pub struct Streamed<W: Write> {
    graph: Arc<Graph>,
    format: Format,
    terminal: bool,
    out: BufWriter<W>,
    /// Answers begun so far (a blank line goes between two CSV answers).
    pub answers: usize,
    /// Rows of the current answer.
    rows: usize,
    /// A CSV record, quoted, before it goes to `out` (kept: one list for
    /// the stream, not one a row).
    csv: Vec<u8>,
}

impl<W: Write> Streamed<W> {
    /// Counts an answer printed by other means, for the blank line between
    /// two.
    pub fn count_answer(&mut self) {
        self.answers += 1;
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn shown(&self, text: String) -> String {
        if self.terminal {
            visible(&text).into_owned()
        } else {
            text
        }
    }

    fn csv_record(&mut self, fields: Vec<String>) -> std::io::Result<()> {
        // A small buffer: the writer's own is made and zeroed for each
        // record (8 KiB by default, most of a row's time).
        let mut w = csv::WriterBuilder::new()
            .buffer_capacity(256)
            .from_writer(&mut self.csv);
        w.write_record(&fields).map_err(std::io::Error::other)?;
        w.flush()?;
        drop(w);
        let written = self.out.write_all(&self.csv);
        self.csv.clear();
        written
    }
}

impl<W: Write + Send> RowSink for Streamed<W> {
    fn start(&mut self, columns: &[String]) -> std::io::Result<()> {
        self.rows = 0;
        let first = self.answers == 0;
        self.answers += 1;
        match self.format {
            Format::Json => {
                let cols = serde_json::to_string(columns)?;
                write!(self.out, "{{\"columns\":{cols},\"rows\":[")
            }
            _ => {
                if !first {
                    writeln!(self.out)?;
                }
                let fields = columns.iter().map(|c| self.shown(c.clone())).collect();
                self.csv_record(fields)
            }
        }
    }

    fn row(&mut self, row: &[Value]) -> std::io::Result<()> {
        self.rows += 1;
        match self.format {
            Format::Json => {
                if self.rows > 1 {
                    self.out.write_all(b",")?;
                }
                // Written value by value: the bytes `json_value` gives,
                // with no JSON tree built for a scalar or a string.
                self.out.write_all(b"[")?;
                for (k, v) in row.iter().enumerate() {
                    if k > 0 {
                        self.out.write_all(b",")?;
                    }
                    match v {
                        Value::Null => self.out.write_all(b"null")?,
                        Value::Bool(b) => {
                            self.out.write_all(if *b { b"true" } else { b"false" })?
                        }
                        Value::Int(i) => serde_json::to_writer(&mut self.out, i)?,
                        Value::Str(s) => serde_json::to_writer(&mut self.out, s.as_str())?,
                        v => serde_json::to_writer(&mut self.out, &json_value(&self.graph, v))?,
                    }
                }
                self.out.write_all(b"]")
            }
            _ => {
                let fields = row
                    .iter()
                    .map(|v| self.shown(csv_field(&self.graph, v)))
                    .collect();
                self.csv_record(fields)
            }
        }
    }

    fn end(&mut self, complete: bool) -> std::io::Result<()> {
        if self.format == Format::Json {
            // An answer cut short by an error is left unclosed, so that
            // no program takes it for the whole answer.
            if complete {
                self.out.write_all(b"]}")?;
            }
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Options, ResultSet};

    /// A writer the test can read after the stream is done.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn both(query: &str, format: Format) -> (String, String) {
        let graph = Arc::new(Graph::default());
        let held = crate::query::run_all(&graph, query, &Options::default())
            .result
            .unwrap();
        let whole = super::super::render(
            &graph,
            &held,
            format,
            super::super::TableStyle {
                color: false,
                width: None,
                max_rows: None,
                terminal: false,
                record: super::super::Record::Auto,
            },
        );
        let buf = Shared::default();
        let (stream, _) = row_stream(graph.clone(), format, false, buf.clone()).unwrap();
        let opts = Options {
            stream: Some(stream),
            ..Options::default()
        };
        let rs: ResultSet = crate::query::run_all(&graph, query, &opts).result.unwrap();
        assert!(rs.rows.is_empty());
        assert_eq!(rs.streamed, Some(held.rows.len()));
        let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        (whole, text)
    }

    #[test]
    fn a_streamed_answer_has_the_bytes_of_the_whole_one() {
        let q = "UNWIND [1, -7, 'a,b', null, true, false, [1, {k: 'v'}], 2.5, 'tab\\t\\u00e9\\\\'] AS x RETURN x, 'q\"' AS y";
        for format in [Format::Csv, Format::Json] {
            let (whole, streamed) = both(q, format);
            assert_eq!(whole, streamed, "{format:?}");
        }
        let (whole, streamed) = both("UNWIND [] AS x RETURN x", Format::Json);
        assert_eq!(whole, streamed);
        // Fields longer than the record's buffer, with quotes, commas and
        // line breaks across its ends.
        let piece = "a\"b,c\\n";
        let long = format!(
            "UNWIND range(1, 40) AS n RETURN n, '{}' AS x",
            piece.repeat(90)
        );
        let (whole, streamed) = both(&long, Format::Csv);
        assert!(whole.len() > 40 * 90 * 6, "{}", whole.len());
        assert_eq!(whole, streamed);
        // Columns that are not the row's slots in order, and one slot
        // twice.
        let q = "UNWIND ['a', 'b'] AS x WITH x, x + '!' AS y RETURN y, x, y AS z";
        for format in [Format::Csv, Format::Json] {
            let (whole, streamed) = both(q, format);
            assert!(whole.contains("a!"), "{whole}");
            assert_eq!(whole, streamed, "{format:?}");
        }
    }
}
