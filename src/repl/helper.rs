//! The one rustyline helper: completion (`complete`), hints from history,
//! highlighting (`highlight`) and the multi-line validator (`input`), plus
//! the key handler that starts a continuation line.

use std::borrow::Cow;
use std::cell::Cell;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{
    Cmd, ConditionalEventHandler, Context, Event, EventContext, Helper, Movement, RepeatCount,
};

use super::complete::{self, Completion, Vocabulary};
use super::highlight;
use super::input::{self, Completeness, PAD};

pub struct EjeHelper {
    pub vocab: Vocabulary,
    color: bool,
    files: FilenameCompleter,
    hinter: HistoryHinter,
    /// Whether to mark the matching bracket: not on the final redraw of a
    /// line that was entered.
    bracket: Cell<bool>,
}

impl EjeHelper {
    pub fn new(vocab: Vocabulary, color: bool) -> EjeHelper {
        EjeHelper {
            vocab,
            color,
            files: FilenameCompleter::new(),
            hinter: HistoryHinter::new(),
            bracket: Cell::new(false),
        }
    }
}

impl Helper for EjeHelper {}

impl Completer for EjeHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        match complete::complete(&self.vocab, line, pos) {
            Completion::Words { start, candidates } => Ok((start, candidates)),
            Completion::Path => self.files.complete_path(line, pos),
        }
    }
}

impl Hinter for EjeHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for EjeHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        highlight::highlight(line, pos, self.color, self.bracket.get())
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        if self.color {
            Cow::Owned(format!("{}{prompt}\x1b[0m", highlight::META))
        } else {
            Cow::Borrowed(prompt)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        // A hint from a multi-line entry shows its continuation prompts.
        let hint = highlight::highlight(hint, 0, false, false);
        if self.color {
            Cow::Owned(format!("{}{hint}\x1b[0m", highlight::DIM))
        } else {
            Cow::Owned(hint.into_owned())
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        // With colour, redraw on every change and cursor move: colours
        // depend on the whole statement, and the bracket mark follows the
        // cursor. Without, what rustyline draws itself is right.
        let live = self.color && kind != CmdKind::ForcedRefresh;
        self.bracket.set(live);
        live
    }
}

impl Validator for EjeHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(match input::completeness(ctx.input()) {
            Completeness::Complete => ValidationResult::Valid(None),
            Completeness::Incomplete => ValidationResult::Incomplete,
        })
    }
}

/// Enter: on an unfinished statement, a new line that starts with the
/// continuation pad; otherwise rustyline's own Enter (which validates and
/// submits).
pub struct EnterHandler;

impl ConditionalEventHandler for EnterHandler {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        match input::completeness(ctx.line()) {
            Completeness::Incomplete => Some(Cmd::Insert(1, format!("\n{PAD}"))),
            Completeness::Complete => None,
        }
    }
}

/// Backspace right after a continuation prompt removes the whole pad (the
/// prompt), not one blank of it; the next one joins the line to the one
/// above. (rustyline replays a handler's command with the key's repeat
/// count, so the pad and the newline cannot go in one command.)
pub struct BackspaceHandler;

impl ConditionalEventHandler for BackspaceHandler {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        let before = &ctx.line()[..ctx.pos()];
        before
            .ends_with(&format!("\n{PAD}"))
            .then_some(Cmd::Kill(Movement::BeginningOfLine))
    }
}

/// Ctrl-X Ctrl-E, as in bash: the line being typed goes to the editor
/// (`:edit`). The handler keeps the line in `0` and interrupts the reading;
/// the loop finds the kept line and edits it.
pub struct EditHandler(pub std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl ConditionalEventHandler for EditHandler {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(ctx.line().to_string());
        }
        Some(Cmd::Interrupt)
    }
}
