//! Query errors: values with a kind, a message written for the user, the
//! span of the query text they point at, and a suggestion where one exists.

use std::fmt;

use super::ast::Span;

/// Which stage raised the error, and what sort it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The text does not follow the grammar.
    Syntax,
    /// The text stops where more was needed (unclosed bracket, string or
    /// comment, a clause still missing). The REPL keeps reading on this one.
    UnexpectedEnd,
    /// Well-formed but meaningless here: unknown label, undefined variable,
    /// unknown or ambiguous entity reference, misplaced aggregate...
    Semantic,
    /// Raised while evaluating: a type error, division by zero...
    Runtime,
    /// A budget ran out: too many rows, too much work, too deep.
    Limit,
    /// The user cancelled the query (Ctrl-C).
    Cancelled,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    pub kind: ErrorKind,
    /// openCypher's name for the error, where it has one (`UndefinedVariable`,
    /// `VariableAlreadyBound`, `InvalidAggregation`...), so conformance tests
    /// can compare kinds.
    pub code: Option<&'static str>,
    pub message: String,
    pub span: Option<Span>,
    /// A suggested fix ("did you mean `Person`?").
    pub help: Option<String>,
    /// Other places of the query text the error speaks of (the opening
    /// bracket of an unclosed one), each with a label.
    pub related: Vec<(Span, String)>,
}

impl QueryError {
    pub fn new(kind: ErrorKind, message: impl Into<String>, span: Option<Span>) -> Self {
        QueryError {
            kind,
            code: None,
            message: message.into(),
            span,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn syntax(message: impl Into<String>, span: Span) -> Self {
        QueryError::new(ErrorKind::Syntax, message, Some(span))
    }

    pub fn semantic(message: impl Into<String>, span: Span) -> Self {
        QueryError::new(ErrorKind::Semantic, message, Some(span))
    }

    pub fn runtime(message: impl Into<String>, span: Option<Span>) -> Self {
        QueryError::new(ErrorKind::Runtime, message, span)
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// The error, pointing at `span` unless it points somewhere already.
    pub fn at(mut self, span: Span) -> Self {
        self.span = self.span.or(Some(span));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    /// True when more input could complete the statement.
    pub fn is_incomplete(&self) -> bool {
        self.kind == ErrorKind::UnexpectedEnd
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

impl QueryError {
    /// This error as a diagnostic pointing into `file` (the text its span
    /// counts in).
    pub fn to_diagnostic(&self, file: &str) -> crate::diag::Diagnostic {
        let code = self.code.unwrap_or(match self.kind {
            ErrorKind::Syntax | ErrorKind::UnexpectedEnd => "syntax",
            ErrorKind::Semantic => "semantic",
            ErrorKind::Runtime => "runtime",
            ErrorKind::Limit => "limit",
            ErrorKind::Cancelled => "cancelled",
        });
        let mut d =
            crate::diag::Diagnostic::error(code, self.message.clone()).help_opt(self.help.clone());
        if let Some(s) = self.span {
            d = d.at(file, s.start..s.end.max(s.start));
        } else {
            d.file = Some(file.to_string());
        }
        for (span, label) in &self.related {
            d.add_related(None, span.start..span.end.max(span.start), label.clone());
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::{SourceMap, render};

    #[test]
    fn an_unclosed_bracket_shows_where_it_was_opened_as_a_second_label() {
        let text = "MATCH (a)\nMATCH (n RETURN n";
        let e = crate::query::parser::parse(text).unwrap_err();
        let d = e.to_diagnostic("q.kgq");
        let related: Vec<_> = d
            .related
            .iter()
            .map(|r| (r.file.clone(), r.span.clone()))
            .collect();
        assert_eq!(related, [(None, 16..17)]);
        assert_eq!(&text[16..17], "(");
        let sources = SourceMap::from([("q.kgq".to_string(), text.to_string())]);
        let shown = render(&[d], &sources, false);
        assert!(shown.contains("the node pattern opens here"), "{shown}");
        assert!(!shown.contains("2:7"), "{shown}");
    }
}
