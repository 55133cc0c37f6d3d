//! Line assembly for tanda's PDF reader, keeping the layout cues a reader
//! of the page sees: where each line starts against the left edge of its
//! column (a paragraph's first-line indent), and vertical gaps wider than
//! the page's line pitch (space between paragraphs, around headings).
//!
//! `pdf-extract` walks the content stream and reports every glyph with its
//! position; its own plain-text writer keeps the glyphs' order and breaks
//! lines where the pen moves down (or back and down), but drops the
//! position of the line. [`LineDev`] makes exactly the same lines and
//! breaks, and keeps each line's start, end, baseline and font size;
//! [`lay_out`] then writes a page as text:
//!
//! * **Indentation.** A line's left edge is the usual start of the lines
//!   beside it: of the lines on the page that share some of its horizontal
//!   extent (so two columns side by side are measured apart) and start no
//!   further right than it does, the start shared by the most text (each
//!   line weighs the part of it beside this one over the wider of the two;
//!   ties go to the left). The line gets one leading
//!   space per average character width it starts right of that edge, as
//!   `pdftotext -layout` writes. Body lines get none; a first-line indent
//!   gets a few spaces; centred lines get many.
//! * **Gaps.** Where the step down from one line to the next is more than
//!   [`GAP_FACTOR`] times the page's usual step (its line pitch: the most
//!   common step between consecutive lines), and the writer already left a
//!   blank line there, a second blank line is added: the mark of a
//!   paragraph or heading gap even in double-spaced text, where every line
//!   is followed by a blank one.
//!
//! Everything is measured on the page itself; nothing assumes a page size,
//! a font or a typesetter.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// Where a line sits on its page, in PDF points, y growing downward.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Geo {
    /// Start (pen position of the first glyph).
    pub x0: f64,
    /// End (pen position after the last glyph).
    pub x1: f64,
    /// Baseline of the first glyph.
    pub y: f64,
    /// Font size of the first glyph, in page units.
    pub size: f64,
}

/// One line as the plain-text writer breaks it: its text and, when it has
/// any glyph, its place on the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PdfLine {
    pub text: String,
    pub geo: Option<Geo>,
}

/// A gap more than this many times the page's line pitch gets a second
/// blank line: a quarter line and more of extra space is put there on
/// purpose (space after a paragraph, around a heading: Word's default 8 pt
/// after 11 pt type is 1.6 pitches, 6 pt after 12 pt type 1.4), while
/// stretchable glue and tall glyphs move a baseline by a tenth or so.
pub(crate) const GAP_FACTOR: f64 = 1.3;

/// Pages with more lines than this are written without indentation (the
/// left-edge search compares every pair of lines on a page).
const MAX_LINES: usize = 4000;

/// At most this many leading spaces on a line.
const MAX_INDENT: usize = 200;

/// An [`OutputDev`] that breaks lines exactly as `pdf-extract`'s
/// `PlainTextOutput` does (same tests, same order of glyphs, same spaces)
/// and records where each line sits.
pub(crate) struct LineDev {
    /// Pages finished so far, laid out (see [`lay_out`]).
    pages: Vec<String>,
    lines: Vec<PdfLine>,
    last_end: f64,
    last_y: f64,
    first_char: bool,
    height: f64,
}

impl Default for LineDev {
    fn default() -> Self {
        LineDev {
            pages: Vec::new(),
            lines: vec![PdfLine {
                text: String::new(),
                geo: None,
            }],
            last_end: 100000.,
            last_y: 0.,
            first_char: false,
            height: 0.,
        }
    }
}

impl LineDev {
    /// The text of each page read to its end, laid out. A page whose
    /// reading failed half-way is not among them.
    pub(crate) fn into_pages(self) -> Vec<String> {
        self.pages
    }

    fn newline(&mut self) {
        self.lines.push(PdfLine {
            text: String::new(),
            geo: None,
        });
    }
}

impl OutputDev for LineDev {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        // Each page starts as a fresh device would (the first lines are
        // often empty, as in `PlainTextOutput`'s text).
        let pages = std::mem::take(&mut self.pages);
        *self = LineDev {
            pages,
            height: media_box.ury - media_box.lly,
            ..LineDev::default()
        };
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        let lines = std::mem::take(&mut self.lines);
        self.pages.push(lay_out(&lines));
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        // As PlainTextOutput: the glyph's origin with y flipped (top of the
        // page at 0), and the font size as the side of a square of the
        // area the transformed size vector spans.
        let (x, y) = (trm.m31, self.height - trm.m32);
        let vx = font_size * trm.m11 + font_size * trm.m21;
        let vy = font_size * trm.m12 + font_size * trm.m22;
        let size = (vx * vy).sqrt();
        if self.first_char {
            if (y - self.last_y).abs() > size * 1.5 {
                self.newline();
            }
            // Moved to the left and down.
            if x < self.last_end && (y - self.last_y).abs() > size * 0.5 {
                self.newline();
            }
            if x > self.last_end + size * 0.1 {
                self.push_text(" ", x, y, size);
            }
        }
        self.push_text(char, x, y, size);
        self.first_char = false;
        self.last_y = y;
        self.last_end = x + width * size;
        if let Some(line) = self.lines.last_mut()
            && let Some(g) = line.geo.as_mut()
        {
            g.x1 = g.x1.max(self.last_end);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

impl LineDev {
    fn push_text(&mut self, s: &str, x: f64, y: f64, size: f64) {
        let Some(line) = self.lines.last_mut() else {
            return;
        };
        if line.geo.is_none() && !s.trim().is_empty() && x.is_finite() && y.is_finite() {
            line.geo = Some(Geo {
                x0: x,
                x1: x,
                y,
                size: if size.is_finite() { size } else { 0.0 },
            });
        }
        line.text.push_str(s);
    }
}

/// A page's lines as text: each line indented by its offset from its
/// column's left edge, a second blank line at a wide vertical gap (see the
/// module notes). Lines without a place are written as they are.
pub(crate) fn lay_out(lines: &[PdfLine]) -> String {
    let placed: Vec<(usize, Geo)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((i, l.geo?)))
        .filter(|(i, _)| !lines[*i].text.trim().is_empty())
        .collect();
    let cw = char_width(lines, &placed);
    let indents = if placed.len() <= MAX_LINES && cw > 0.0 {
        indents(&placed, cw)
    } else {
        vec![0; placed.len()]
    };
    let extra = wide_gaps(lines, &placed);
    let mut indent_of = vec![0usize; lines.len()];
    for (&(i, _), &n) in placed.iter().zip(&indents) {
        indent_of[i] = n;
    }
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if extra.contains(&i) {
            out.push('\n');
        }
        let text = l.text.trim_start();
        if !text.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent_of[i]));
        }
        out.push_str(text);
    }
    out
}

/// The page's average character advance: the median, over lines of ten
/// characters or more, of width / characters. 0 when no line shows it.
fn char_width(lines: &[PdfLine], placed: &[(usize, Geo)]) -> f64 {
    let mut w: Vec<f64> = placed
        .iter()
        .filter_map(|&(i, g)| {
            let n = lines[i].text.trim().chars().count();
            let w = (g.x1 - g.x0) / n as f64;
            (n >= 10 && w.is_finite() && w > 0.0).then_some(w)
        })
        .collect();
    if w.is_empty() {
        // A page of short lines: half the usual font size.
        let mut s: Vec<f64> = placed
            .iter()
            .map(|(_, g)| g.size)
            .filter(|s| s.is_finite() && *s > 0.0)
            .collect();
        if s.is_empty() {
            return 0.0;
        }
        s.sort_by(f64::total_cmp);
        return s[s.len() / 2] * 0.5;
    }
    w.sort_by(f64::total_cmp);
    w[w.len() / 2]
}

/// Leading spaces of each placed line: its start against its column's
/// left edge, in character widths `cw`.
///
/// The edge is the start, among the lines that start no further right than
/// this one and reach past its start, that the most text shares: each such
/// line weighs the part of it beside this line over the wider of the two,
/// so the lines of its own column (full overlap) outweigh a line spanning
/// two columns (a title, an abstract) and a stray short line.
fn indents(placed: &[(usize, Geo)], cw: f64) -> Vec<usize> {
    // Starts closer than this are one edge.
    let tol = cw * 0.5;
    let mut starts: Vec<(f64, f64)> = Vec::new();
    placed
        .iter()
        .map(|&(_, g)| {
            starts.clear();
            starts.extend(
                placed
                    .iter()
                    .map(|(_, o)| *o)
                    .filter(|o| o.x0 <= g.x0 + tol && o.x1 > g.x0)
                    .filter_map(|o| {
                        let overlap = o.x1.min(g.x1) - o.x0.max(g.x0);
                        let wider = (o.x1 - o.x0).max(g.x1 - g.x0);
                        let w = if wider > 0.0 { overlap / wider } else { 0.0 };
                        (w.is_finite() && w > 0.0).then_some((o.x0, w))
                    }),
            );
            starts.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut best: Option<(f64, f64)> = None;
            let mut k = 0;
            while k < starts.len() {
                let (x, mut w) = starts[k];
                let mut j = k + 1;
                while j < starts.len() && starts[j].0 - starts[j - 1].0 <= tol {
                    w += starts[j].1;
                    j += 1;
                }
                // Ties go to the left (the first seen).
                if best.is_none_or(|(_, bw)| w > bw) {
                    best = Some((x, w));
                }
                k = j;
            }
            let edge = best.map_or(g.x0, |b| b.0);
            let n = ((g.x0 - edge) / cw).round();
            if n.is_finite() && n > 0.0 {
                (n as usize).min(MAX_INDENT)
            } else {
                0
            }
        })
        .collect()
}

/// Indices of lines that get a second blank line before them: the writer
/// left one blank line (an empty line) between them and the placed line
/// before, and the step down between the two is more than [`GAP_FACTOR`]
/// times the page's line pitch.
fn wide_gaps(lines: &[PdfLine], placed: &[(usize, Geo)]) -> Vec<usize> {
    let steps: Vec<(usize, f64, usize)> = placed
        .windows(2)
        .map(|w| (w[1].0, w[1].1.y - w[0].1.y, w[1].0 - w[0].0))
        .collect();
    let Some(pitch) = pitch(steps.iter().map(|s| s.1)) else {
        return Vec::new();
    };
    steps
        .iter()
        .filter(|&&(i, dy, apart)| {
            apart == 2 && lines[i - 1].text.trim().is_empty() && dy > pitch * GAP_FACTOR
        })
        .map(|s| s.0)
        .collect()
}

/// The most common step down between consecutive lines (steps rounded to
/// a tenth of a point; ties go to the smaller step), if there are at least
/// three steps down.
fn pitch(steps: impl Iterator<Item = f64>) -> Option<f64> {
    let mut counts: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for dy in steps {
        if dy.is_finite() && dy > 0.0 {
            *counts.entry((dy * 10.0).round() as i64).or_default() += 1;
        }
    }
    if counts.values().sum::<usize>() < 3 {
        return None;
    }
    // Iteration is in increasing step: the first of the most counted wins.
    let mut best: Option<(i64, usize)> = None;
    for (&k, &n) in &counts {
        if best.is_none_or(|(_, bn)| n > bn) {
            best = Some((k, n));
        }
    }
    best.map(|(k, _)| k as f64 / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x0: f64, x1: f64, y: f64) -> PdfLine {
        PdfLine {
            text: text.to_string(),
            geo: Some(Geo {
                x0,
                x1,
                y,
                size: 10.0,
            }),
        }
    }

    fn empty() -> PdfLine {
        PdfLine {
            text: String::new(),
            geo: None,
        }
    }

    /// 50 characters over 250 points: 5 points a character.
    const FULL: &str = "aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee.";

    #[test]
    fn first_line_indent_becomes_leading_spaces() {
        // Column from x = 72 to 322; a paragraph's first line starts 15
        // points (three characters) in, its last line ends early.
        let lines = vec![
            line(FULL, 72.0, 322.0, 100.0),
            line(FULL, 72.0, 322.0, 112.0),
            line("short last line.", 72.0, 152.0, 124.0),
            line(&FULL[3..], 87.0, 322.0, 136.0),
            line(FULL, 72.0, 322.0, 148.0),
        ];
        let text = lay_out(&lines);
        let got: Vec<&str> = text.split('\n').collect();
        assert_eq!(got.len(), 5);
        assert_eq!(got[0], FULL);
        assert_eq!(got[2], "short last line.");
        assert_eq!(got[3], format!("   {}", &FULL[3..]));
        assert_eq!(got[4], FULL);
    }

    #[test]
    fn each_column_has_its_own_left_edge() {
        // Left column at 50, right column at 310 (width 250 each, 10-point
        // gutter); each has one indented line (10 points = 2 characters).
        let lines = vec![
            line(FULL, 50.0, 300.0, 100.0),
            line(&FULL[2..], 60.0, 300.0, 112.0),
            line(FULL, 50.0, 300.0, 124.0),
            line(FULL, 310.0, 560.0, 100.0),
            line(FULL, 310.0, 560.0, 112.0),
            line(&FULL[2..], 320.0, 560.0, 124.0),
        ];
        let text = lay_out(&lines);
        let indents: Vec<usize> = text
            .split('\n')
            .map(|l| l.len() - l.trim_start().len())
            .collect();
        assert_eq!(indents, vec![0, 2, 0, 0, 0, 2]);
    }

    #[test]
    fn centred_heading_is_far_in_and_a_stray_left_line_does_not_move_the_edge() {
        // A page number hanging 20 points left of the column, alone, does
        // not make every body line indented; a heading centred over ten
        // body lines is 100 points (20 characters) in.
        let mut lines = vec![line("Heading", 172.0, 222.0, 80.0)];
        for k in 0..10 {
            lines.push(line(FULL, 72.0, 322.0, 100.0 + 12.0 * k as f64));
        }
        lines.push(line("12", 52.0, 62.0, 230.0));
        let text = lay_out(&lines);
        let got: Vec<&str> = text.split('\n').collect();
        assert_eq!(got[0], format!("{}Heading", " ".repeat(20)));
        assert!(got[1..11].iter().all(|l| *l == FULL));
        assert_eq!(got[11], "12");
    }

    #[test]
    fn a_title_across_both_columns_does_not_move_a_column_edge() {
        // Three title lines span both columns (50 to 560); the right
        // column below has four lines at 310: its edge stays at 310.
        let wide = FULL.repeat(2);
        let mut lines = Vec::new();
        for k in 0..3 {
            lines.push(line(&wide, 50.0, 560.0, 60.0 + 12.0 * k as f64));
        }
        for k in 0..4 {
            lines.push(line(FULL, 50.0, 300.0, 100.0 + 12.0 * k as f64));
        }
        for k in 0..4 {
            lines.push(line(FULL, 310.0, 560.0, 100.0 + 12.0 * k as f64));
        }
        let text = lay_out(&lines);
        assert!(text.split('\n').all(|l| !l.starts_with(' ')), "{text}");
    }

    #[test]
    fn wide_gap_in_double_spacing_gets_a_second_blank_line() {
        // Double-spaced: the writer leaves an empty line after every line;
        // the pitch is 24 points; a heading gap of 48 points is wider than
        // 1.3 pitches, the others are not.
        let mut lines = Vec::new();
        for (k, y) in [100.0, 124.0, 148.0, 196.0, 220.0, 244.0]
            .iter()
            .enumerate()
        {
            if k > 0 {
                lines.push(empty());
            }
            lines.push(line(FULL, 72.0, 322.0, *y));
        }
        let text = lay_out(&lines);
        let want = [FULL, "", FULL, "", FULL, "", "", FULL, "", FULL, "", FULL].join("\n");
        assert_eq!(text, want);
        // A baseline moved by a tenth of a pitch (28.8 points where 24 is
        // usual, 1.2 pitches) is no gap.
        let mut lines = Vec::new();
        for (k, y) in [100.0, 124.0, 148.0, 176.8, 200.8, 224.8]
            .iter()
            .enumerate()
        {
            if k > 0 {
                lines.push(empty());
            }
            lines.push(line(FULL, 72.0, 322.0, *y));
        }
        assert!(!lay_out(&lines).contains("\n\n\n"));
    }

    #[test]
    fn no_second_blank_where_the_writer_left_none() {
        // A wide step with no empty line between (the writer's own test
        // found no break) and a page of two steps (no pitch) add nothing.
        let lines = vec![
            line(FULL, 72.0, 322.0, 100.0),
            line(FULL, 72.0, 322.0, 112.0),
            line(FULL, 72.0, 322.0, 124.0),
            line(FULL, 72.0, 322.0, 136.0),
            line(FULL, 72.0, 322.0, 200.0),
        ];
        assert_eq!(lay_out(&lines), [FULL; 5].join("\n"));
        let two = vec![
            line(FULL, 72.0, 322.0, 100.0),
            empty(),
            line(FULL, 72.0, 322.0, 200.0),
        ];
        assert_eq!(lay_out(&two), [FULL, "", FULL].join("\n"));
    }

    #[test]
    fn pitch_is_the_most_common_step_ties_to_the_smaller() {
        assert_eq!(pitch([12.0, 12.0, 30.0, 12.04].into_iter()), Some(12.0));
        assert_eq!(pitch([24.0, 12.0, 24.0, 12.0].into_iter()), Some(12.0));
        // Steps up (a new column) are not steps down.
        assert_eq!(pitch([12.0, -500.0, 12.0].into_iter()), None);
    }

    #[test]
    fn lines_without_a_place_are_kept_as_they_are() {
        let lines = vec![empty(), empty(), line("Title", 72.0, 97.0, 50.0)];
        assert_eq!(lay_out(&lines), "\n\nTitle");
    }
}
