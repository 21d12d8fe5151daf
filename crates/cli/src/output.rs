//! Printing an answer in the format asked for: JSON for programs, text for people.

use std::io::Write;

use serde::Serialize;

use crate::cli::Format;
use crate::failure::Failure;

/// How answers are printed.
#[derive(Clone, Copy)]
pub struct Output {
    /// The format asked for.
    pub format: Format,
}

impl Output {
    /// Like [`Output::print`], building the JSON only when it is asked for.
    pub fn print_with<T: Serialize>(
        &self,
        json: impl FnOnce() -> T,
        text: impl FnOnce() -> String,
    ) -> Result<(), Failure> {
        match self.format {
            Format::Json => self.print(&json(), text),
            _ => self.print(&(), text),
        }
    }

    /// Prints JSON or text, as asked; other formats are refused for commands that do not write them.
    pub fn print<T: Serialize>(&self, json: &T, text: impl FnOnce() -> String) -> Result<(), Failure> {
        let rendered = match self.format {
            Format::Json => serde_json::to_string_pretty(json)
                .map_err(|e| Failure::Environment(format!("cannot write JSON: {e}")))?,
            Format::Text => text(),
            Format::Html => return Err(Failure::Usage("--format html is only available for diff".into())),
            Format::Markdown => return Err(Failure::Usage("--format markdown is only available for export".into())),
        };
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`inforce at today | head`) is not an error worth reporting.
        let _ = writeln!(stdout, "{}", rendered.trim_end());
        Ok(())
    }
}
