//! What a statement answers: named columns and rows of values, what the
//! answer stands for in the graph, and notes for the user. Nodes,
//! relations and paths in it refer into the graph that was queried.

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::model::Value;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Rows,
    /// Key facts shown above the table by the analyst statements (the card
    /// of `DESCRIBE`: kind, name, aliases...). Empty for openCypher queries.
    pub header: Vec<(String, String)>,
    /// Nodes and relations the answer is about beyond the values in its
    /// rows: an analyst statement prints relations as text (type, date,
    /// sources) and lists them here, so an export after it draws them.
    pub touched: Touched,
    /// Notes for the user that accompany the answer (a precision caveat...),
    /// one line each, printed to standard error as `note: ...`.
    pub notes: Vec<String>,
    /// When the rows were streamed as they were made (`Options::stream`),
    /// how many: `rows` is then empty.
    pub streamed: Option<usize>,
}

/// Nodes and relations of the graph an answer touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    pub nodes: Vec<NodeIndex>,
    pub rels: Vec<EdgeIndex>,
}

impl ResultSet {
    pub fn new(columns: Vec<String>) -> Self {
        ResultSet {
            columns,
            ..ResultSet::default()
        }
    }

    /// How many rows the answer had, streamed or held.
    pub fn row_count(&self) -> usize {
        self.streamed.unwrap_or(self.rows.len())
    }
}

/// The rows of an answer, kept row after row in one list of values: a row
/// costs no allocation of its own (an answer of a million rows is one
/// list, not a million), and reads as a slice, `rows[i][j]`.
///
/// Every row has the same number of values, `width`, fixed by the first
/// row pushed.
#[derive(Clone, Default)]
pub struct Rows {
    values: Vec<Value>,
    width: usize,
    len: usize,
}

impl Rows {
    pub fn new() -> Self {
        Rows::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many values each row has.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Makes room for `rows` more rows of `width` values (`width` counts
    /// only while there are no rows yet: the first row pushed sets it).
    pub fn reserve(&mut self, width: usize, rows: usize) {
        if self.len == 0 {
            self.width = width;
        }
        self.values.reserve(self.width.saturating_mul(rows));
    }

    /// Adds a row. The first row sets the width; a row of another width
    /// is a bug of its maker (it is cut or padded with nulls, so that the
    /// rows after it stay whole).
    pub fn push(&mut self, row: impl IntoIterator<Item = Value>) {
        let start = self.values.len();
        self.values.extend(row);
        let pushed = self.values.len() - start;
        if self.len == 0 {
            self.width = pushed;
        } else if pushed != self.width {
            debug_assert_eq!(pushed, self.width, "a row of another width");
            self.values.resize(start + self.width, Value::Null);
        }
        self.len += 1;
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> Option<&[Value]> {
        (i < self.len).then(|| self.row(i))
    }

    pub fn first(&self) -> Option<&[Value]> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&[Value]> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    /// The rows in order, each a slice.
    pub fn iter(&self) -> RowIter<'_> {
        RowIter {
            values: &self.values,
            width: self.width,
            left: self.len,
        }
    }

    /// The rows in order, each a slice to change in place.
    pub fn iter_mut(&mut self) -> RowIterMut<'_> {
        RowIterMut {
            values: &mut self.values,
            width: self.width,
            left: self.len,
        }
    }

    /// The first `rows` rows of the answer (all when there are fewer).
    pub fn prefix(&self, rows: usize) -> RowIter<'_> {
        let left = self.len.min(rows);
        RowIter {
            values: &self.values[..left * self.width],
            width: self.width,
            left,
        }
    }

    /// Keeps the first `rows` rows.
    pub fn truncate(&mut self, rows: usize) {
        if rows < self.len {
            self.values.truncate(rows * self.width);
            self.len = rows;
        }
    }

    /// Keeps the rows for which `keep` says so, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&[Value]) -> bool) {
        let w = self.width;
        let mut kept = 0;
        for i in 0..self.len {
            if keep(&self.values[i * w..(i + 1) * w]) {
                if kept != i {
                    for j in 0..w {
                        self.values.swap(kept * w + j, i * w + j);
                    }
                }
                kept += 1;
            }
        }
        self.truncate(kept);
    }

    /// Moves every row of `other` after these (rows of the same width).
    pub fn append(&mut self, other: &mut Rows) {
        if other.len == 0 {
            return;
        }
        if self.len == 0 {
            std::mem::swap(self, other);
            return;
        }
        if self.width == other.width {
            self.values.append(&mut other.values);
            self.len += std::mem::take(&mut other.len);
            return;
        }
        debug_assert_eq!(self.width, other.width, "rows of another width");
        for row in std::mem::take(other) {
            self.push(row);
        }
    }

    /// The rows as lists of their own.
    pub fn into_vecs(self) -> Vec<Vec<Value>> {
        self.into_iter().collect()
    }

    fn row(&self, i: usize) -> &[Value] {
        &self.values[i * self.width..(i + 1) * self.width]
    }
}

impl std::ops::Index<usize> for Rows {
    type Output = [Value];

    fn index(&self, i: usize) -> &[Value] {
        assert!(i < self.len, "row {i} of {}", self.len);
        self.row(i)
    }
}

impl std::ops::IndexMut<usize> for Rows {
    fn index_mut(&mut self, i: usize) -> &mut [Value] {
        assert!(i < self.len, "row {i} of {}", self.len);
        let w = self.width;
        &mut self.values[i * w..(i + 1) * w]
    }
}

impl PartialEq for Rows {
    fn eq(&self, other: &Rows) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl PartialEq<Vec<Vec<Value>>> for Rows {
    fn eq(&self, other: &Vec<Vec<Value>>) -> bool {
        self.len == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_slice())
    }
}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Vec<Vec<Value>>> for Rows {
    fn from(rows: Vec<Vec<Value>>) -> Rows {
        rows.into_iter().collect()
    }
}

impl FromIterator<Vec<Value>> for Rows {
    fn from_iter<I: IntoIterator<Item = Vec<Value>>>(rows: I) -> Rows {
        let mut out = Rows::new();
        for row in rows {
            out.push(row);
        }
        out
    }
}

impl<'r> IntoIterator for &'r Rows {
    type Item = &'r [Value];
    type IntoIter = RowIter<'r>;

    fn into_iter(self) -> RowIter<'r> {
        self.iter()
    }
}

impl<'r> IntoIterator for &'r mut Rows {
    type Item = &'r mut [Value];
    type IntoIter = RowIterMut<'r>;

    fn into_iter(self) -> RowIterMut<'r> {
        self.iter_mut()
    }
}

impl IntoIterator for Rows {
    type Item = Vec<Value>;
    type IntoIter = IntoRows;

    fn into_iter(self) -> IntoRows {
        IntoRows {
            values: self.values.into_iter(),
            width: self.width,
            left: self.len,
        }
    }
}

/// `Rows::iter`.
#[derive(Clone)]
pub struct RowIter<'r> {
    values: &'r [Value],
    width: usize,
    left: usize,
}

impl<'r> Iterator for RowIter<'r> {
    type Item = &'r [Value];

    fn next(&mut self) -> Option<&'r [Value]> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let (row, rest) = self.values.split_at(self.width);
        self.values = rest;
        Some(row)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl DoubleEndedIterator for RowIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let (rest, row) = self.values.split_at(self.values.len() - self.width);
        self.values = rest;
        Some(row)
    }
}

impl ExactSizeIterator for RowIter<'_> {}

/// `Rows::iter_mut`.
pub struct RowIterMut<'r> {
    values: &'r mut [Value],
    width: usize,
    left: usize,
}

impl<'r> Iterator for RowIterMut<'r> {
    type Item = &'r mut [Value];

    fn next(&mut self) -> Option<&'r mut [Value]> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let (row, rest) = std::mem::take(&mut self.values).split_at_mut(self.width);
        self.values = rest;
        Some(row)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for RowIterMut<'_> {}

/// `Rows::into_iter`: each row as a list of its own.
pub struct IntoRows {
    values: std::vec::IntoIter<Value>,
    width: usize,
    left: usize,
}

impl Iterator for IntoRows {
    type Item = Vec<Value>;

    fn next(&mut self) -> Option<Vec<Value>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        Some(self.values.by_ref().take(self.width).collect())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for IntoRows {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row(w: usize, seed: i64) -> Vec<Value> {
        (0..w as i64).map(|j| Value::Int(seed * 10 + j)).collect()
    }

    /// What `Rows` does, step by step, as a list of lists would.
    #[derive(Debug, Clone)]
    enum Step {
        Push(i64),
        Truncate(usize),
        RetainOdd,
        Append(Vec<i64>),
        SetFirst(i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (0i64..50).prop_map(Step::Push),
            1 => (0usize..8).prop_map(Step::Truncate),
            1 => Just(Step::RetainOdd),
            1 => prop::collection::vec(0i64..50, 0..4).prop_map(Step::Append),
            1 => (0i64..50).prop_map(Step::SetFirst),
        ]
    }

    proptest! {
        /// Every operation reads back as it would on a list of rows, for
        /// rows of 0 to 3 values.
        #[test]
        fn rows_read_back_as_a_list_of_rows(w in 0usize..4, steps in prop::collection::vec(step(), 0..24)) {
            let mut rows = Rows::new();
            let mut model: Vec<Vec<Value>> = Vec::new();
            for s in steps {
                match s {
                    Step::Push(k) => {
                        rows.push(row(w, k));
                        model.push(row(w, k));
                    }
                    Step::Truncate(n) => {
                        rows.truncate(n);
                        model.truncate(n);
                    }
                    Step::RetainOdd => {
                        let odd = |r: &[Value]| r.first().is_none_or(|v| matches!(v, Value::Int(i) if i % 20 >= 10));
                        rows.retain(odd);
                        model.retain(|r| odd(r));
                    }
                    Step::Append(ks) => {
                        let mut other: Rows = ks.iter().map(|k| row(w, *k)).collect();
                        rows.append(&mut other);
                        prop_assert!(other.is_empty());
                        model.extend(ks.iter().map(|k| row(w, *k)));
                    }
                    Step::SetFirst(k) => {
                        if let (Some(r), Some(m)) = (rows.iter_mut().next(), model.first_mut())
                            && let (Some(v), Some(mv)) = (r.first_mut(), m.first_mut())
                        {
                            *v = Value::Int(k);
                            *mv = Value::Int(k);
                        }
                    }
                }
                prop_assert_eq!(rows.len(), model.len());
                prop_assert!(rows == model, "{:?} != {:?}", rows, model);
            }
            prop_assert_eq!(rows.iter().rev().map(<[Value]>::to_vec).collect::<Vec<_>>(), model.iter().rev().cloned().collect::<Vec<_>>());
            for n in 0..model.len() + 2 {
                prop_assert_eq!(rows.prefix(n).count(), n.min(model.len()));
                prop_assert_eq!(rows.prefix(n).next_back(), model[..n.min(model.len())].last().map(Vec::as_slice));
            }
            for (i, m) in model.iter().enumerate() {
                prop_assert_eq!(&rows[i], m.as_slice());
                prop_assert_eq!(rows.get(i), Some(m.as_slice()));
            }
            prop_assert_eq!(rows.get(model.len()), None);
            prop_assert_eq!(rows.clone().into_vecs(), model);
        }
    }

    #[test]
    fn the_first_row_sets_the_width() {
        let mut rows = Rows::new();
        assert_eq!(rows.width(), 0);
        rows.push([Value::Int(1), Value::Null]);
        assert_eq!(rows.width(), 2);
        rows.push([Value::Int(2), Value::Int(3)]);
        assert_eq!(rows[1], [Value::Int(2), Value::Int(3)]);
        assert_eq!(rows.last(), Some(&[Value::Int(2), Value::Int(3)][..]));
        // Rows of no values still count.
        let mut empty = Rows::new();
        empty.push(Vec::new());
        empty.push(Vec::new());
        assert_eq!((empty.len(), empty.iter().count()), (2, 2));
        assert_eq!(empty.into_iter().count(), 2);
    }
}
