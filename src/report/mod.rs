//! Aggregation and output: tallies that merge by addition, frequency tables
//! and crosstabs, and the result files.

pub mod manual;
pub mod read;
pub mod table;
pub mod tally;
pub mod write;

pub use table::{FreqRow, Header, frequency_rows, render_json, render_markdown, render_text};
pub use tally::{CatCounts, Counts, GroupKey, Tally};
