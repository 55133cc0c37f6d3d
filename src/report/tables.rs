//! The tables of one run, made once from its tallies and shared by every
//! output: the printed tables, the CSV files, the workbook and the page.
//! `analyze` makes them from a coding, `report` from results folders; both
//! group documents with [`group_key`], so a `--bin` means the same in each.

use std::path::Path;

use super::write::{self as w, write_atomic};
use super::{CatView, Cluster, CoPair, CrossTest, FreqRow, GroupKey, Header, Measure, Tally};
use crate::error::Error;

/// How tables are computed and written (`--measure`, `--cluster`, `--bin`,
/// `--excel`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// What crosstab cells show, and so which test they get.
    pub measure: Measure,
    /// Whether crosstab tests treat documents as clusters of passages.
    pub cluster: Cluster,
    /// Bin numeric or date group values into spans of this many (years).
    pub bin: Option<u32>,
    /// Write CSV files with a UTF-8 byte-order mark, for Excel.
    pub excel: bool,
}

/// Everything the outputs are made from.
#[derive(Debug, Clone)]
pub struct Tables {
    /// What the run was: corpus, codebook, unit, counting policy.
    pub header: Header,
    /// The categories, in codebook order.
    pub cats: Vec<CatView>,
    /// The counts, for the whole corpus and each group.
    pub tally: Tally,
    /// The tidy frequency table.
    pub rows: Vec<FreqRow>,
    /// One test per category across the groups (empty without groups).
    pub tests: Vec<CrossTest>,
    /// Which categories are coded in the same passages.
    pub co: Option<Vec<CoPair>>,
}

impl Tables {
    /// The frequency rows and crosstab tests of a tally.
    pub fn new(
        header: Header,
        cats: Vec<CatView>,
        tally: Tally,
        co: Vec<CoPair>,
        opts: &TableOptions,
    ) -> Tables {
        let rows = super::frequency_rows(&cats, &tally);
        let tests = super::cross_tests(&cats, &tally, opts.measure, opts.cluster);
        Tables {
            header,
            cats,
            tally,
            rows,
            tests,
            co: Some(co),
        }
    }

    /// The table files of a results folder: frequencies (tidy and wide),
    /// the crosstab tests, co-occurrence. Returns the names written.
    pub fn write(&self, dir: &Path, excel: bool) -> Result<Vec<String>, Error> {
        let mut files = Vec::new();
        write_atomic(&dir.join("frequencies.csv"), |f| {
            w::frequencies_csv(f, &self.rows, excel)
        })?;
        files.push("frequencies.csv".to_string());
        write_atomic(&dir.join("frequencies-wide.csv"), |f| {
            w::frequencies_wide_csv(f, &self.rows, excel)
        })?;
        files.push("frequencies-wide.csv".to_string());
        if !self.tests.is_empty() {
            write_atomic(&dir.join("crosstab-tests.csv"), |f| {
                w::tests_csv(f, &self.tests, &self.tally, excel)
            })?;
            files.push("crosstab-tests.csv".to_string());
        }
        if let Some(co) = &self.co {
            write_atomic(&dir.join("cooccurrence.csv"), |f| {
                w::cooccurrence_csv(f, co, excel)
            })?;
            files.push("cooccurrence.csv".to_string());
        }
        Ok(files)
    }
}

/// The group of a document: its values of the `--by` fields, numeric ones
/// binned when asked (`--bin 5` puts 1996 in "1995–1999").
pub fn group_key(values: Vec<String>, bin: Option<u32>) -> GroupKey {
    let Some(b) = bin.filter(|&b| b > 1) else {
        return GroupKey(values);
    };
    GroupKey(
        values
            .into_iter()
            .map(|v| {
                // A number, or a date starting with a year.
                let head: String = v
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '-')
                    .collect();
                let num = head
                    .split('-')
                    .find(|s| !s.is_empty())
                    .and_then(|s| s.parse::<i64>().ok());
                match num {
                    Some(n) if !v.is_empty() => {
                        let start = n.div_euclid(i64::from(b)) * i64::from(b);
                        format!("{start}–{}", start + i64::from(b) - 1)
                    }
                    _ => v,
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_years_and_dates_into_spans() {
        let key = |v: &str, b| group_key(vec![v.to_string()], b).0[0].clone();
        assert_eq!(key("1996", Some(5)), "1995–1999");
        assert_eq!(key("2000-03-01", Some(10)), "2000–2009");
        // Not a number: kept; bin 1 or none: kept.
        assert_eq!(key("news", Some(5)), "news");
        assert_eq!(key("1996", Some(1)), "1996");
        assert_eq!(key("1996", None), "1996");
        assert_eq!(key("", Some(5)), "");
    }
}
