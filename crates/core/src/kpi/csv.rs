//! Rendering a table of figures as CSV (RFC 4180) that is safe to open in a spreadsheet.

use serde::{Deserialize, Serialize};

/// A header row and data rows of text cells.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The table as CSV: comma-separated, CRLF line ends, every cell passed through
    /// [`csv_cell`].
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// One CSV cell.
///
/// Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (and some treat a
/// leading tab or carriage return the same way), so such a cell gets a leading `'`, which shows
/// the text as typed. A cell containing a comma, a double quote, a CR or an LF is then wrapped in
/// double quotes, with inner quotes doubled.
pub fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}
