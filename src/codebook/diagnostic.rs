//! Problems found in a codebook, printed as `FILE:LINE:COLUMN: severity: message`
//! so that editors and terminals can jump to them.

use std::fmt;

use super::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pos: Pos,
    pub message: String,
}

/// Shorten every `quoted` piece of user text in a message to at most 60
/// characters, so a 5,000-character line in a dictionary does not flood
/// the terminal.
fn clip_quotes(msg: String) -> String {
    if msg.chars().count() <= 200 {
        return msg;
    }
    let mut out = String::with_capacity(256);
    for (i, part) in msg.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && part.chars().count() > 60 {
            out.extend(part.chars().take(59));
            out.push('…');
        } else {
            out.push_str(part);
        }
    }
    out
}

impl Diagnostic {
    pub fn error(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pos,
            message: clip_quotes(message.into()),
        }
    }

    pub fn warning(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            pos,
            message: clip_quotes(message.into()),
        }
    }

    /// The diagnostic as one line, prefixed with the codebook's name.
    pub fn display<'a>(&'a self, origin: &'a str) -> impl fmt::Display + 'a {
        DisplayDiag { d: self, origin }
    }
}

struct DisplayDiag<'a> {
    d: &'a Diagnostic,
    origin: &'a str,
}

impl fmt::Display for DisplayDiag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.origin, self.d.pos.line, self.d.pos.column, sev, self.d.message
        )
    }
}
