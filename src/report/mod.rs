//! Aggregation and output: tallies that merge by addition, frequency tables
//! and crosstabs, and the result files.

pub mod cluster;
pub mod combine;
pub mod html;
pub mod manual;
// public items not yet documented (issue 20)
#[allow(missing_docs)]
pub mod read;
pub mod stats;
pub mod table;
pub mod tables;
pub mod tally;
pub mod write;
// public items not yet documented (issue 20)
#[allow(missing_docs)]
pub mod xlsx;

pub use table::{
    CatView, Cluster, CoCounter, CoPair, CrossTest, FreqRow, Header, Measure, Style, cooccurrence,
    cross_tests, frequency_rows, render_json, render_latex, render_markdown, render_text,
};
pub use tables::{TableOptions, Tables, group_key};
pub use tally::{CatCounts, Counts, GroupKey, PassageCounts, Tally};
