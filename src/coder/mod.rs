//! Applying a compiled codebook to one passage. Pure: text in, hits out.
//!
//! The counting policy (also printed in every output, see [`POLICY`]):
//! 1. Text and entries are tokenised alike ([`crate::text`]); matching is over
//!    case-folded atoms (case-sensitive entries compare the text as written).
//! 2. Within one category an atom is counted at most once. When matches of a
//!    category overlap, the longest wins (most atoms), then the one with more
//!    exact atoms (an exact word beats a glob), then the one with more literal
//!    characters (a longer prefix beats a shorter one), then the earlier one.
//! 3. A phrase is one hit; it matches across spaces, line breaks and hyphens
//!    but not across punctuation. One atom may count for several categories.
//! 4. A hit of an entry that asks for negation is cancelled when a negation
//!    word stands within the codebook's window before it (not across
//!    punctuation).
//! 5. An exclusion listed by a category cancels every hit of that category
//!    and its descendants that overlaps the exclusion's match.
//! 6. A proximity rule `NEAR/BEFORE/AFTER(a, b, n)` makes one hit on each
//!    match of `a` that has a match of `b` within `n` words (not overlapping);
//!    its complement `NOTNEAR/NOTBEFORE/NOTAFTER(a, b, n)` makes one hit on
//!    each match of `a` that has none. `b` may list alternatives
//!    (`@x | @y | word`), any of which is a match of `b`. Words are counted
//!    over punctuation (`n` = 1: the word right before or after). LIWC2007
//!    conditional entries are read as such pairs of rules: `kind (02 134)125/464`
//!    is `AFTER(kind, @c02 | @c134, 1)` in 125 and `NOTAFTER(…)` in 464, and
//!    `like <of>131/125` is `BEFORE(like, of, 1)` in 131 and
//!    `NOTBEFORE(like, of, 1)` in 125. A hit that is cancelled (rules 4–5) or
//!    loses an overlap (rule 2) in a category referred to with `@` is no
//!    match of that operand.
//! 7. A parent's count is the union of its own and its descendants' hits, with
//!    overlapping hits counted once (rule 2 applied to all of them).
//! 8. A hit *counts* (for thresholds and for every measure: hits, rates,
//!    % of words) only when its entry's weight is above zero. Entries of
//!    weight 0 or below are counter-indicators: their hits still win
//!    overlaps (rule 2) and lower the score, but are reported apart.
//! 9. A passage is coded for a category when its counted hits reach the
//!    category's threshold (default 1) and its score (the sum of all its
//!    hits' weights, default 1 each) reaches `min_score` when one is set.

use std::ops::Range;

use crate::codebook::{CompiledOperand, Matcher, Order, PatternOwner};
use crate::corpus::{Document, Passage, Unit, segment};
use crate::text::{Tokens, tokenize, tokenize_into};

pub mod explain;

/// Policy identifier recorded in outputs; bump when the rules change.
pub const POLICY_ID: &str = "tanda-count/2";

/// The counting policy in one line, printed in every output header.
pub const POLICY: &str = "UAX#29 words, case-folded, hyphen/space variants equal, X-X reduplication = X; \
per category each word counted once, longest match wins, then exact over glob, then longer literal; \
a phrase is one hit and does not cross punctuation; a word may count for several categories; \
negations and exclusions cancel hits; parents count the union of their subtree; \
only hits of entries weighing more than 0 count (weight <= 0: counter-indicators, reported apart); \
coded when counted hits >= threshold (default 1) and, where min_score is set, \
the score (sum of all hit weights) >= min_score";

/// Which entry of a category produced a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryRef {
    /// Index into the category's `entries`.
    Entry(usize),
    /// Index into the category's `regex`.
    Regex(usize),
}

/// One counted match.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Index into `Matcher::categories` of the category that owns the entry.
    pub category: usize,
    /// Which of the category's entries or regexes matched.
    pub entry: EntryRef,
    /// Byte range in the passage text.
    pub span: Range<usize>,
    /// Atom range in the passage's tokens.
    pub atoms: Range<usize>,
    /// The entry's weight: above 0 counts, 0 or less is a counter-indicator.
    pub weight: f64,
}

/// The coding of one passage.
#[derive(Debug, Clone, Default)]
pub struct Coded {
    /// Words in the passage.
    pub words: usize,
    /// Hits of each category's own entries, ordered by position: counted
    /// hits and counter-indicators alike ([`Hit::counted`] tells them apart).
    pub hits: Vec<Hit>,
    /// Per category (display order): hits counted (entries weighing more
    /// than 0), parents as the union of their subtree.
    pub counts: Vec<u32>,
    /// Per category: hits of counter-indicators (entries weighing 0 or
    /// less), which lower or leave the score but are not counted.
    pub counter: Vec<u32>,
    /// Per category: the sum of the counted hits' weights.
    pub scores: Vec<f64>,
    /// How many of the passage's own-entry hits count (weigh more than
    /// 0), and how many there are in all: what `hits` holds, told apart by
    /// [`Hit::counted`], kept also when [`code_counts`] leaves `hits`
    /// empty.
    pub hit_totals: HitTotals,
}

/// The number of a passage's hits (see [`Coded::hit_totals`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HitTotals {
    /// Hits that count (entries weighing more than 0).
    pub counted: u32,
    /// Every hit, counter-indicators included (the rows of hits.csv).
    pub all: u32,
}

impl Coded {
    /// Is the passage coded for category `c` under `matcher`'s thresholds?
    pub fn is_coded(&self, matcher: &Matcher, c: usize) -> bool {
        let info = &matcher.categories[c];
        decides(
            info.threshold,
            info.min_score,
            self.counts[c],
            self.scores[c],
        )
    }
}

/// Why a candidate match did or did not count (for `codebook test`).
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    /// The match counted.
    Counted,
    /// Lost to an overlapping, better-ranked match of the same category.
    Overlapped {
        /// The winning match: its category index and entry.
        by: (usize, EntryRef),
    },
    /// Cancelled by an exclusion's match (byte range in the text).
    Excluded {
        /// Byte range of the exclusion's match.
        by: Range<usize>,
    },
    /// Cancelled by a negation word (byte range in the text).
    Negated {
        /// Byte range of the negation word.
        by: Range<usize>,
    },
}

/// One candidate match and its fate.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// Index into `Matcher::categories` of the category that owns the entry.
    pub category: usize,
    /// Which of the category's entries or regexes matched.
    pub entry: EntryRef,
    /// Byte range in the passage text.
    pub span: Range<usize>,
    /// Whether it counted, and if not, why.
    pub fate: Fate,
}

#[derive(Debug, Clone)]
struct Cand {
    rank: (usize, usize, usize),
    category: usize,
    entry: EntryRef,
    atoms: Range<usize>,
    span: Range<usize>,
    weight: f64,
}

/// Sort key for the greedy selection: best rank first, then position.
fn order(a: &Cand, b: &Cand) -> std::cmp::Ordering {
    b.rank
        .cmp(&a.rank)
        .then(a.atoms.start.cmp(&b.atoms.start))
        .then(a.category.cmp(&b.category))
        .then(a.entry.cmp(&b.entry))
}

/// Keep the best non-overlapping candidates (rule 2), appending them to
/// `kept` (which must be empty). Input order is irrelevant. Losers go to
/// `lost` with the winner that beat them: the best-ranked kept candidate
/// they overlap.
///
/// `owner` has one slot per atom of the passage, all 0 on entry and on
/// return: while selecting, a slot holds 1 + the index in `kept` of the
/// candidate that took the atom. Checking a candidate costs its length, not
/// the number of candidates kept so far (a long paragraph with a function
/// word dictionary has hundreds of hits in one category).
fn select(
    cands: &mut Vec<Cand>,
    kept: &mut Vec<Cand>,
    owner: &mut [u32],
    mut lost: Option<&mut Vec<Trace>>,
) {
    if lost.is_none() && disjoint_and_even(cands, owner) {
        // No two candidates share an atom, so all of them are kept, and
        // their weights are equal, so the order they are kept in cannot
        // change a sum: the sort below would only cost time (it was the
        // largest part of coding passages with many function-word hits).
        kept.append(cands);
        return;
    }
    // Unstable: `order` breaks every tie but between candidates equal in all
    // they hold, and it sorts without allocating.
    cands.sort_unstable_by(order);
    for c in cands.drain(..) {
        let by = owner[c.atoms.clone()]
            .iter()
            .copied()
            .filter(|&o| o != 0)
            .min();
        match by {
            None => {
                owner[c.atoms.clone()].fill(kept.len() as u32 + 1);
                kept.push(c);
            }
            Some(o) => {
                if let Some(l) = lost.as_deref_mut() {
                    let k = &kept[o as usize - 1];
                    l.push(Trace {
                        category: c.category,
                        entry: c.entry,
                        span: c.span,
                        fate: Fate::Overlapped {
                            by: (k.category, k.entry),
                        },
                    });
                }
            }
        }
    }
    for k in kept.iter() {
        owner[k.atoms.clone()].fill(0);
    }
}

/// Do the candidates all weigh the same and cover no atom twice? `owner`
/// (all 0) is used to mark atoms and left all 0 again.
fn disjoint_and_even(cands: &[Cand], owner: &mut [u32]) -> bool {
    let Some(first) = cands.first() else {
        return true;
    };
    let mut marked = 0;
    let mut ok = true;
    for c in cands {
        if c.weight.to_bits() != first.weight.to_bits()
            || owner[c.atoms.clone()].iter().any(|&o| o != 0)
        {
            ok = false;
            break;
        }
        owner[c.atoms.clone()].fill(1);
        marked += 1;
    }
    for c in &cands[..marked] {
        owner[c.atoms.clone()].fill(0);
    }
    ok
}

/// Buffers reused from passage to passage on one thread, so that coding a
/// passage allocates only its result.
#[derive(Default)]
struct Scratch {
    tokens: Tokens,
    per_cat: Vec<Vec<Cand>>,
    excluded: Vec<Vec<Range<usize>>>,
    operand_hits: Vec<Vec<Range<usize>>>,
    own: Vec<Vec<Cand>>,
    union_cache: Vec<Option<Vec<Range<usize>>>>,
    owner: Vec<u32>,
    all: Vec<Cand>,
    kept: Vec<Cand>,
    /// Running maximum of exclusion zones' ends (see [`first_overlap`]).
    reach: Vec<usize>,
}

impl Scratch {
    /// Empty buffers sized for `matcher` and a passage of `natoms` atoms.
    fn reset(&mut self, matcher: &Matcher, natoms: usize) {
        /// `n` empty lists, keeping the ones already allocated.
        fn lists<T>(v: &mut Vec<Vec<T>>, n: usize) {
            v.iter_mut().for_each(Vec::clear);
            v.resize_with(n, Vec::new);
        }
        let ncat = matcher.categories.len();
        lists(&mut self.per_cat, ncat);
        lists(&mut self.own, ncat);
        lists(&mut self.excluded, ncat);
        lists(&mut self.operand_hits, matcher.operands);
        self.union_cache.clear();
        self.union_cache.resize(ncat, None);
        self.owner.clear();
        self.owner.resize(natoms, 0);
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Run `f` with this thread's scratch buffers (fresh ones if they are
/// already in use further up the stack).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Code one passage.
pub fn code(matcher: &Matcher, text: &str) -> Coded {
    code_with(matcher, text, Keep::Hits)
}

/// Code one passage for its counts only: [`Coded::hits`] stays empty
/// (the counts, scores and [`Coded::hit_totals`] are those [`code`]
/// gives). For jobs that print tables: no list of hits is built, sorted
/// and dropped for every passage.
pub fn code_counts(matcher: &Matcher, text: &str) -> Coded {
    code_with(matcher, text, Keep::Counts)
}

/// What [`run`] hands back besides the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Every hit, in text order.
    Hits,
    /// Only how many there are.
    Counts,
}

fn code_with(matcher: &Matcher, text: &str, keep: Keep) -> Coded {
    with_scratch(|s| {
        let mut tokens = std::mem::take(&mut s.tokens);
        tokenize_into(text, &mut tokens);
        let coded = run(matcher, text, &tokens, s, None, keep);
        if tokens.atoms.capacity() <= KEEP_ATOMS {
            s.tokens = tokens;
        } else {
            // One huge passage must not leave its buffers behind on every
            // thread that ever coded one.
            *s = Scratch::default();
        }
        coded
    })
}

/// The most atoms whose buffers a thread keeps between passages (about
/// 3 MB of atoms; a long paragraph has a few hundred).
const KEEP_ATOMS: usize = 1 << 16;

/// Code one passage and explain every candidate match's fate.
pub fn code_traced(matcher: &Matcher, text: &str) -> (Coded, Vec<Trace>) {
    let tokens = tokenize(text);
    let mut traces = Vec::new();
    let coded = with_scratch(|s| run(matcher, text, &tokens, s, Some(&mut traces), Keep::Hits));
    traces.sort_by(|a, b| {
        (a.span.start, a.category, a.entry).cmp(&(b.span.start, b.category, b.entry))
    });
    (coded, traces)
}

/// Code one passage that has already been tokenised.
pub fn code_tokens(matcher: &Matcher, text: &str, tokens: &Tokens) -> Coded {
    with_scratch(|s| {
        let coded = run(matcher, text, tokens, s, None, Keep::Hits);
        if s.owner.capacity() > KEEP_ATOMS {
            *s = Scratch::default();
        }
        coded
    })
}

/// The negation word within the window before atom `start`, if any.
fn negation_before(matcher: &Matcher, tokens: &Tokens, start: usize) -> Option<usize> {
    let atoms = &tokens.atoms;
    let mut j = start;
    for _ in 0..matcher.negation_window {
        if j == 0 || !atoms[j].joined {
            return None;
        }
        j -= 1;
        if matcher.negation_words.contains(tokens.norm(j)) {
            return Some(j);
        }
    }
    None
}

/// Distance in words between two non-overlapping atom ranges, signed:
/// positive when `b` follows `a`.
fn distance(a: &Range<usize>, b: &Range<usize>) -> Option<isize> {
    if b.start >= a.end {
        Some((b.start - a.end + 1) as isize)
    } else if a.start >= b.end {
        Some(-((a.start - b.end + 1) as isize))
    } else {
        None
    }
}

/// Is some `b` of `bs` (sorted by start; `longest` the longest of them)
/// within `window` words of `a`, on the side `order` asks for (for a `NOT…`
/// order, the side of its positive form: the caller negates)? Only the `b`
/// that can be that close are looked at, so a rule costs the number of its
/// operands' matches, not their product (a document coded as one passage
/// has thousands of each).
fn within(
    a: &Range<usize>,
    bs: &[Range<usize>],
    longest: usize,
    window: usize,
    order: Order,
) -> bool {
    // b after a: b.start - a.end + 1 <= window; b before a:
    // a.start - b.end + 1 <= window, so b.start >= a.start + 1 - window - longest.
    let lo = a.start.saturating_sub(window + longest);
    let hi = a.end + window;
    let from = bs.partition_point(|b| b.start < lo);
    bs[from..].iter().take_while(|b| b.start <= hi).any(|b| {
        match (distance(a, b), order.base().0) {
            (Some(d), Order::Before) => d > 0 && d as usize <= window,
            (Some(d), Order::After) => d < 0 && d.unsigned_abs() <= window,
            (Some(d), _) => d.unsigned_abs() <= window,
            (None, _) => false,
        }
    })
}

/// The first of `zones` (sorted by start) that overlaps `k`, where `reach[i]`
/// is the furthest end among `zones[..=i]`: two binary searches instead of
/// a scan of every zone for every candidate.
fn first_overlap(zones: &[Range<usize>], reach: &[usize], k: &Range<usize>) -> Option<usize> {
    debug_assert!(zones.is_sorted_by_key(|z| z.start));
    let hi = zones.partition_point(|z| z.start < k.end);
    let i = reach[..hi].partition_point(|&r| r <= k.start);
    (i < hi).then_some(i)
}

/// Rule 4: drop the candidates of category `c` whose entry is marked
/// `negate` and that a negation word precedes within the window.
fn cancel_negated(
    matcher: &Matcher,
    tokens: &Tokens,
    c: usize,
    cands: &mut Vec<Cand>,
    mut trace: Option<&mut Vec<Trace>>,
) {
    let info = &matcher.categories[c];
    cands.retain(|k| {
        let wants = match k.entry {
            EntryRef::Entry(e) => info.entry_negate[e],
            EntryRef::Regex(e) => info.regex_negate[e],
        };
        if !wants {
            return true;
        }
        match negation_before(matcher, tokens, k.atoms.start) {
            None => true,
            Some(j) => {
                if let Some(t) = trace.as_deref_mut() {
                    t.push(Trace {
                        category: c,
                        entry: k.entry,
                        span: k.span.clone(),
                        fate: Fate::Negated {
                            by: tokens.atoms[j].span.clone(),
                        },
                    });
                }
                false
            }
        }
    });
}

/// Rule 5: drop the candidates of category `c` that overlap an exclusion
/// zone of `c` or of one of its ancestors (`excluded`, by category, in
/// token order; `reach` is scratch for [`first_overlap`]).
fn cancel_excluded(
    matcher: &Matcher,
    atoms: &[crate::text::Atom],
    c: usize,
    excluded: &[Vec<Range<usize>>],
    reach: &mut Vec<usize>,
    cands: &mut Vec<Cand>,
    mut trace: Option<&mut Vec<Trace>>,
) {
    let mut a = Some(c);
    while let Some(ai) = a {
        let zones = &excluded[ai];
        if !zones.is_empty() {
            reach.clear();
            reach.extend(zones.iter().scan(0, |m, z| {
                *m = (*m).max(z.end);
                Some(*m)
            }));
            cands.retain(
                |k| match first_overlap(zones, reach, &k.atoms).map(|i| &zones[i]) {
                    None => true,
                    Some(x) => {
                        if let Some(t) = trace.as_deref_mut() {
                            t.push(Trace {
                                category: c,
                                entry: k.entry,
                                span: k.span.clone(),
                                fate: Fate::Excluded {
                                    by: atoms[x.start].span.start..atoms[x.end - 1].span.end,
                                },
                            });
                        }
                        false
                    }
                },
            );
        }
        a = matcher.categories[ai].parent;
    }
}

/// Code one passage in `scratch`: find the matches, then apply the rules
/// category by category (rules 6, 4, 5 and 2, children before parents),
/// then count each subtree (rule 7).
fn run(
    matcher: &Matcher,
    text: &str,
    tokens: &Tokens,
    scratch: &mut Scratch,
    mut trace: Option<&mut Vec<Trace>>,
    keep: Keep,
) -> Coded {
    let atoms = &tokens.atoms;
    scratch.reset(matcher, atoms.len());
    find_patterns(matcher, text, tokens, scratch);
    find_regexes(matcher, text, atoms, &mut scratch.per_cat);

    for &c in &matcher.eval_order {
        let mut cands = std::mem::take(&mut scratch.per_cat[c]);
        let info = &matcher.categories[c];
        if cands.is_empty() && info.prox.is_empty() {
            // Nothing matched and no rule can add a hit: nothing to cancel
            // or select (most categories of a large codebook, most passages).
            scratch.per_cat[c] = cands;
            continue;
        }
        add_proximity_hits(matcher, atoms, c, scratch, &mut cands);
        cancel_negated(matcher, tokens, c, &mut cands, trace.as_deref_mut());
        cancel_excluded(
            matcher,
            atoms,
            c,
            &scratch.excluded,
            &mut scratch.reach,
            &mut cands,
            trace.as_deref_mut(),
        );
        let Scratch {
            per_cat,
            own,
            owner,
            ..
        } = scratch;
        let mut chosen = std::mem::take(&mut own[c]);
        select(&mut cands, &mut chosen, owner, trace.as_deref_mut());
        own[c] = chosen;
        per_cat[c] = cands;
        if let Some(t) = trace.as_deref_mut() {
            t.extend(own[c].iter().map(|k| Trace {
                category: c,
                entry: k.entry,
                span: k.span.clone(),
                fate: Fate::Counted,
            }));
        }
    }

    let (counts, counter, scores) = subtree_counts(matcher, scratch);
    let mut hit_totals = HitTotals::default();
    for k in scratch.own.iter().flatten() {
        hit_totals.all += 1;
        hit_totals.counted += u32::from(counts_up(k.weight));
    }
    let hits = match keep {
        Keep::Hits => sorted_hits(&mut scratch.own),
        Keep::Counts => Vec::new(),
    };
    Coded {
        words: tokens.words,
        hits,
        counts,
        counter,
        scores,
        hit_totals,
    }
}

/// Rules 1 and 3: every match of the codebook's patterns in the passage,
/// as candidates of their categories (`per_cat`), exclusion zones
/// (`excluded`) and proximity-rule operands (`operand_hits`, by operand
/// slot).
fn find_patterns(matcher: &Matcher, text: &str, tokens: &Tokens, scratch: &mut Scratch) {
    let atoms = &tokens.atoms;
    let Scratch {
        per_cat,
        excluded,
        operand_hits,
        ..
    } = scratch;
    for i in 0..atoms.len() {
        let raw = &text[atoms[i].span.clone()];
        matcher.for_each_first(tokens.norm(i), raw, |pid| {
            let cp = &matcher.patterns[pid as usize];
            let n = cp.pattern.atoms.len();
            if i + n > atoms.len() {
                return;
            }
            let rest_ok = cp.pattern.atoms[1..]
                .iter()
                .zip(i + 1..i + n)
                .all(|(p, j)| {
                    let a = &atoms[j];
                    a.joined && p.matches(tokens.norm(j), &text[a.span.clone()])
                });
            if !rest_ok {
                return;
            }
            let span = atoms[i].span.start..atoms[i + n - 1].span.end;
            for owner in &cp.owners {
                match *owner {
                    PatternOwner::Include { category, entry } => per_cat[category].push(Cand {
                        rank: cp.rank,
                        category,
                        entry: EntryRef::Entry(entry),
                        atoms: i..i + n,
                        span: span.clone(),
                        weight: matcher.categories[category].entry_weights[entry],
                    }),
                    PatternOwner::Exclude { category } => excluded[category].push(i..i + n),
                    PatternOwner::Operand => {
                        operand_hits[matcher.operand_slot[pid as usize] as usize].push(i..i + n)
                    }
                }
            }
        });
    }
}

/// Every non-empty match of the codebook's regular expressions, snapped to
/// the atoms it touches, as a candidate of its category (`per_cat`).
fn find_regexes(
    matcher: &Matcher,
    text: &str,
    atoms: &[crate::text::Atom],
    per_cat: &mut [Vec<Cand>],
) {
    for (re, category, ri) in &matcher.regexes {
        for m in re.find_iter(text) {
            if m.is_empty() {
                continue;
            }
            let first = atoms.partition_point(|a| a.span.end <= m.start());
            let last = atoms.partition_point(|a| a.span.start < m.end());
            if first >= last {
                continue;
            }
            per_cat[*category].push(Cand {
                rank: (last - first, 0, m.as_str().chars().count()),
                category: *category,
                entry: EntryRef::Regex(*ri),
                atoms: first..last,
                span: m.range(),
                weight: matcher.categories[*category].regex_weights[*ri],
            });
        }
    }
}

/// Rule 6: add to `cands` a hit of category `c` for each match of a
/// proximity rule's first operand that has a match of the second within
/// the rule's window. An operand is a pattern (its matches in
/// `scratch.operand_hits`) or a category (the selected hits of its
/// subtree, already decided: categories are evaluated children first).
fn add_proximity_hits(
    matcher: &Matcher,
    atoms: &[crate::text::Atom],
    c: usize,
    scratch: &mut Scratch,
    cands: &mut Vec<Cand>,
) {
    let Scratch {
        operand_hits,
        own,
        union_cache,
        owner,
        all,
        kept,
        ..
    } = scratch;
    let info = &matcher.categories[c];
    for &ri in &info.prox {
        let r = &matcher.prox[ri];
        let mut operand = |o: CompiledOperand| -> Vec<(Range<usize>, (usize, usize, usize))> {
            match o {
                CompiledOperand::Pattern(pid) => {
                    let rank = matcher.patterns[pid as usize].rank;
                    operand_hits[matcher.operand_slot[pid as usize] as usize]
                        .iter()
                        .map(|a| (a.clone(), rank))
                        .collect()
                }
                CompiledOperand::Category(t) => {
                    let u = union_cache[t].get_or_insert_with(|| {
                        all.clear();
                        all.extend(
                            matcher.categories[t]
                                .subtree
                                .iter()
                                .flat_map(|&s| own[s].iter().cloned()),
                        );
                        kept.clear();
                        select(all, kept, owner, None);
                        kept.iter().map(|k| k.atoms.clone()).collect()
                    });
                    u.iter().map(|a| (a.clone(), (a.len(), 0, 0))).collect()
                }
            }
        };
        let a_hits = operand(r.a);
        let mut b_hits: Vec<Range<usize>> =
            r.b.iter()
                .flat_map(|&o| operand(o))
                .map(|(b, _)| b)
                .collect();
        b_hits.sort_unstable_by_key(|b| (b.start, b.end));
        let longest = b_hits.iter().map(|b| b.len()).max().unwrap_or(0);
        let (base, complement) = r.order.base();
        for (a, rank) in a_hits {
            if within(&a, &b_hits, longest, r.window, base) != complement {
                cands.push(Cand {
                    rank,
                    category: c,
                    entry: EntryRef::Entry(r.entry),
                    span: atoms[a.start].span.start..atoms[a.end - 1].span.end,
                    atoms: a,
                    weight: info.entry_weights[r.entry],
                });
            }
        }
    }
}

/// Rule 7: parents count the union of their subtree. Per category, from the
/// selected hits of each category (`scratch.own`): the counted hits, the
/// counter-indicators and the score (rule 8).
fn subtree_counts(matcher: &Matcher, scratch: &mut Scratch) -> (Vec<u32>, Vec<u32>, Vec<f64>) {
    let Scratch {
        own,
        owner,
        all,
        kept,
        ..
    } = scratch;
    let ncat = matcher.categories.len();
    let mut counts = vec![0u32; ncat];
    let mut counter = vec![0u32; ncat];
    let mut scores = vec![0f64; ncat];
    // (counted, counter-indicators, score) of a category's selected hits.
    let tally = |ks: &[Cand]| {
        let up = ks.iter().filter(|k| counts_up(k.weight)).count() as u32;
        (up, ks.len() as u32 - up, ks.iter().map(|k| k.weight).sum())
    };
    for (c, info) in matcher.categories.iter().enumerate() {
        let n: usize = info.subtree.iter().map(|&s| own[s].len()).sum();
        if n == 0 {
            continue;
        }
        if info.subtree.len() == 1 {
            (counts[c], counter[c], scores[c]) = tally(&own[c]);
        } else {
            all.clear();
            all.extend(info.subtree.iter().flat_map(|&s| own[s].iter().cloned()));
            kept.clear();
            select(all, kept, owner, None);
            (counts[c], counter[c], scores[c]) = tally(kept);
        }
    }
    (counts, counter, scores)
}

/// The selected hits of every category (drained from `own`), in text
/// order.
fn sorted_hits(own: &mut [Vec<Cand>]) -> Vec<Hit> {
    let mut hits: Vec<Hit> = own
        .iter_mut()
        .flat_map(|v| v.drain(..))
        .map(|k| Hit {
            category: k.category,
            entry: k.entry,
            span: k.span,
            atoms: k.atoms,
            weight: k.weight,
        })
        .collect();
    // No two counted hits of a category share start and entry, so the key is
    // total and an unstable sort gives the same order.
    hits.sort_unstable_by(|a, b| {
        (a.span.start, a.category, a.entry, a.span.end).cmp(&(
            b.span.start,
            b.category,
            b.entry,
            b.span.end,
        ))
    });
    hits
}

/// Rule 9: is a passage with `counted` hits and this score coded under a
/// category's `threshold` and `min_score`?
pub fn decides(threshold: u32, min_score: Option<f64>, counted: u32, score: f64) -> bool {
    counted >= threshold.max(1) && min_score.is_none_or(|s| score >= s)
}

/// An entry's text as written in the codebook (`regex:…` for a regex).
pub fn entry_text(matcher: &Matcher, category: usize, entry: EntryRef) -> String {
    let cat = &matcher.categories[category];
    match entry {
        EntryRef::Entry(i) => cat.entries[i].clone(),
        EntryRef::Regex(i) => format!("regex:{}", cat.regex[i]),
    }
}

/// An entry's weight.
pub fn entry_weight(matcher: &Matcher, category: usize, entry: EntryRef) -> f64 {
    let cat = &matcher.categories[category];
    match entry {
        EntryRef::Entry(i) => cat.entry_weights[i],
        EntryRef::Regex(i) => cat.regex_weights[i],
    }
}

/// Does a hit of this weight count (raise the score)? Entries weighing 0 or
/// less are counter-indicators (rule 8).
pub fn counts_up(weight: f64) -> bool {
    weight > 0.0
}

impl Hit {
    /// Is this hit counted, or a counter-indicator (rule 8)?
    pub fn counted(&self) -> bool {
        counts_up(self.weight)
    }
}

/// A passage with its coding.
#[derive(Debug, Clone)]
pub struct CodedPassage {
    /// The passage (its id, text and location).
    pub passage: Passage,
    /// Its coding.
    pub coded: Coded,
}

/// Segment a document into `unit` passages and code each.
pub fn code_document(matcher: &Matcher, doc: &Document, unit: Unit) -> Vec<CodedPassage> {
    segment(&doc.id, &doc.paragraphs, unit)
        .into_iter()
        .map(|passage| {
            let coded = code(matcher, &passage.text);
            CodedPassage { passage, coded }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! Golden tests: one per rule of the counting policy. Expected numbers are
    //! worked out by hand from the rule, not taken from a run.
    use super::*;
    use crate::codebook::from_source;

    /// Ranges drawn from a small deterministic generator (no dependency).
    fn ranges(seed: &mut u64, n: usize, span: usize) -> Vec<Range<usize>> {
        let mut next = |m: usize| {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (*seed >> 33) as usize % m
        };
        (0..n)
            .map(|_| {
                let s = next(span);
                s..s + 1 + next(4)
            })
            .collect()
    }

    #[test]
    fn windowed_search_finds_what_a_full_scan_finds() {
        // `within` and `first_overlap` replace scans of every pair; on random
        // ranges they must answer exactly as the scans they replace.
        let mut seed = 7;
        for _ in 0..300 {
            let a_all = ranges(&mut seed, 20, 60);
            let nb = 1 + (seed as usize % 25);
            let mut bs = ranges(&mut seed, nb, 60);
            bs.sort_unstable_by_key(|b| (b.start, b.end));
            let longest = bs.iter().map(|b| b.len()).max().unwrap_or(0);
            for a in &a_all {
                for window in [1, 2, 5, 30] {
                    for order in [Order::Near, Order::Before, Order::After] {
                        let scan = bs.iter().any(|b| match (distance(a, b), order) {
                            (Some(d), Order::Near) => d.unsigned_abs() <= window,
                            (Some(d), Order::Before) => d > 0 && d as usize <= window,
                            (Some(d), Order::After) => d < 0 && d.unsigned_abs() <= window,
                            (Some(_), _) => unreachable!("only positive orders here"),
                            (None, _) => false,
                        });
                        assert_eq!(within(a, &bs, longest, window, order), scan, "{a:?} {bs:?}");
                    }
                }
                let mut zones = bs.clone();
                zones.sort_by_key(|z| z.start);
                let reach: Vec<usize> = zones
                    .iter()
                    .scan(0, |m, z| {
                        *m = (*m).max(z.end);
                        Some(*m)
                    })
                    .collect();
                let scan = zones
                    .iter()
                    .position(|z| z.start < a.end && a.start < z.end);
                assert_eq!(first_overlap(&zones, &reach, a), scan, "{a:?} {zones:?}");
            }
        }
    }

    fn matcher(src: &str) -> Matcher {
        let full = format!("name = \"T\"\n{src}");
        let (cb, _) = from_source(&full, "t").unwrap_or_else(|d| panic!("{d:#?}"));
        Matcher::compile(&cb)
    }

    /// Coding for counts only gives what full coding gives, less the list
    /// of hits: on every paragraph of the shipped corpus's text files with
    /// the built-in codebook (weighted entries, counter-indicators,
    /// negation, exclusions, a hierarchy).
    #[test]
    fn counts_only_coding_counts_as_full_coding() {
        let (cb, _) = from_source(crate::codebook::BUILTIN_TAN, "tan.toml").unwrap();
        let m = Matcher::compile(&cb);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut files = vec![root];
        let (mut passages, mut hits, mut counter) = (0, 0, 0);
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if p.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            // One of them is Windows-1252: its odd bytes become U+FFFD.
            let bytes = std::fs::read(&p).unwrap();
            for para in String::from_utf8_lossy(&bytes).split("\n\n") {
                let (full, counts) = (code(&m, para), code_counts(&m, para));
                assert!(counts.hits.is_empty());
                assert_eq!(
                    (&full.counts, &full.counter, &full.scores, full.words),
                    (
                        &counts.counts,
                        &counts.counter,
                        &counts.scores,
                        counts.words
                    ),
                    "{para}"
                );
                let counted = full.hits.iter().filter(|h| h.counted()).count() as u32;
                let totals = HitTotals {
                    counted,
                    all: full.hits.len() as u32,
                };
                assert_eq!((full.hit_totals, counts.hit_totals), (totals, totals));
                passages += 1;
                hits += counted;
                counter += totals.all - counted;
            }
        }
        // The comparison ran over real coding, counter-indicators included.
        assert!(
            passages > 100 && hits > 100 && counter > 0,
            "{passages} {hits} {counter}"
        );
    }

    fn count(m: &Matcher, id: &str, text: &str) -> u32 {
        let i = m.categories.iter().position(|c| c.id == id).unwrap();
        code(m, text).counts[i]
    }

    fn matched<'a>(m: &Matcher, text: &'a str) -> Vec<(String, &'a str)> {
        code(m, text)
            .hits
            .iter()
            .map(|h| {
                let cat = &m.categories[h.category];
                let e = match h.entry {
                    EntryRef::Entry(i) => cat.entries[i].clone(),
                    EntryRef::Regex(i) => cat.regex[i].clone(),
                };
                (format!("{}:{}", cat.id, e), &text[h.span.clone()])
            })
            .collect()
    }

    #[test]
    fn longest_phrase_wins() {
        let m = matcher(
            "[[category]]\nid = \"a\"\nentries = [\"national plan of action\", \"plan\", \"action\", \"plan of action\"]\n",
        );
        let text = "The National Plan of Action and an action plan.";
        assert_eq!(count(&m, "a", text), 3);
        assert_eq!(
            matched(&m, text),
            vec![
                (
                    "a:national plan of action".to_string(),
                    "National Plan of Action"
                ),
                ("a:action".to_string(), "action"),
                ("a:plan".to_string(), "plan"),
            ]
        );
    }

    #[test]
    fn exact_beats_glob_and_longer_prefix_beats_shorter() {
        let m =
            matcher("[[category]]\nid = \"a\"\nentries = [\"advoca*\", \"advocacy\", \"adv*\"]\n");
        assert_eq!(
            matched(&m, "advocacy advocates advice"),
            vec![
                ("a:advocacy".to_string(), "advocacy"),
                ("a:advoca*".to_string(), "advocates"),
                ("a:adv*".to_string(), "advice"),
            ]
        );
    }

    #[test]
    fn a_word_counts_once_per_category_but_for_several_categories() {
        let m = matcher(
            "[[category]]\nid = \"a\"\nentries = [\"report*\", \"report\"]\n[[category]]\nid = \"b\"\nentries = [\"report\"]\n",
        );
        assert_eq!(count(&m, "a", "report"), 1);
        assert_eq!(count(&m, "b", "report"), 1);
    }

    #[test]
    fn parent_is_union_of_children_overlaps_once() {
        let m = matcher(
            "[[category]]\nid = \"p\"\nentries = [\"tourism\"]\n[[category]]\nid = \"p.x\"\nentries = [\"tourism revenue\"]\n[[category]]\nid = \"p.y\"\nentries = [\"revenue\", \"sanctions\"]\n",
        );
        let text = "tourism revenue and sanctions";
        assert_eq!(count(&m, "p.x", text), 1);
        assert_eq!(count(&m, "p.y", text), 2);
        // Own "tourism" and child "revenue" both lie inside "tourism revenue".
        assert_eq!(count(&m, "p", text), 2);
        // Own hits are recorded once each, with their own category.
        assert_eq!(code(&m, text).hits.len(), 4);
    }

    #[test]
    fn exclusions_cancel_overlapping_hits_of_the_subtree() {
        let m = matcher(
            "[[category]]\nid = \"i\"\nentries = [\"information\", \"data\"]\nexclude = [\"information technology\", \"data sekunder\"]\n[[category]]\nid = \"i.c\"\nentries = [\"sekunder\"]\n",
        );
        assert_eq!(count(&m, "i", "information technology, data"), 1);
        assert_eq!(count(&m, "i", "Penelitian ini memakai data sekunder."), 0);
        assert_eq!(count(&m, "i.c", "data sekunder"), 0);
        assert_eq!(count(&m, "i", "information about data"), 2);
    }

    #[test]
    fn hyphen_space_and_line_break_variants_are_one() {
        let m = matcher("[[category]]\nid = \"a\"\nentries = [\"anti-trafficking\", \"anak\"]\n");
        assert_eq!(
            count(
                &m,
                "a",
                "anti trafficking, Anti-Trafficking, anti-\ntrafficking"
            ),
            3
        );
        // Reduplication is one word and one hit.
        assert_eq!(count(&m, "a", "anak-anak"), 1);
        let c = code(&m, "anak-anak dan anak");
        assert_eq!(c.words, 3);
    }

    #[test]
    fn thresholds_decide_coding() {
        let m = matcher("[[category]]\nid = \"a\"\nthreshold = 2\nentries = [\"law\"]\n");
        let one = code(&m, "law");
        let two = code(&m, "law and law");
        assert!(!one.is_coded(&m, 0));
        assert!(two.is_coded(&m, 0));
    }

    #[test]
    fn regex_hits_snap_to_words() {
        let m = matcher("[[category]]\nid = \"a\"\nregex = ['UU No\\. \\d+ Tahun \\d{4}']\n");
        let text = "Menurut UU No. 23 Tahun 2002, anak";
        assert_eq!(
            matched(&m, text),
            vec![(
                "a:UU No\\. \\d+ Tahun \\d{4}".to_string(),
                "UU No. 23 Tahun 2002"
            )]
        );
    }

    #[test]
    fn phrases_stop_at_punctuation() {
        let m = matcher(
            "[[category]]\nid = \"a\"\nentries = [\"law enforcement\", \"exploited child*\"]\n",
        );
        assert_eq!(count(&m, "a", "law enforcement; law, enforcement"), 1);
        assert_eq!(count(&m, "a", "were exploited. Children were"), 0);
        assert_eq!(count(&m, "a", "exploited  \n children"), 1);
    }

    #[test]
    fn globs_inside_phrases() {
        let m = matcher("[[category]]\nid = \"a\"\nentries = [\"national plan* of action\"]\n");
        assert_eq!(count(&m, "a", "national plans of action"), 1);
        assert_eq!(count(&m, "a", "national planning of   action"), 1);
        assert_eq!(count(&m, "a", "national plan for action"), 0);
    }
    #[test]
    fn proximity_near_before_after_and_category_operands() {
        let m = matcher(
            r#"[[category]]
id = "actors"
entries = ["ngo*", "ecpat"]
[[category]]
id = "lev"
entries = ["NEAR(@actors, lobb*, 3)", "BEFORE(pressure, government, 3)", "AFTER(report, publish*, 2)"]
"#,
        );
        // "ECPAT ... lobbied": 2 words apart; the hit sits on ECPAT.
        let text = "ECPAT quietly lobbied the minister.";
        assert_eq!(
            matched(&m, text)[1],
            ("lev:NEAR(@actors, lobb*, 3)".to_string(), "ECPAT")
        );
        assert_eq!(
            count(&m, "lev", "ECPAT then waited a long time and lobbied"),
            0
        );
        assert_eq!(count(&m, "lev", "lobbying by NGOs"), 1);
        assert_eq!(count(&m, "lev", "pressure on the government"), 1);
        assert_eq!(count(&m, "lev", "the government felt pressure"), 0);
        assert_eq!(count(&m, "lev", "they published a report"), 1);
        assert_eq!(count(&m, "lev", "the report was published"), 0);
    }

    /// LIWC2007 conditional entries, worked by hand word by word.
    #[test]
    fn liwc2007_conditionals_code_as_liwc_defines_them() {
        let dic = "%\n1\tpronoun\n2\tdiscrep\n3\taffect\n4\tfiller\n5\tcogmech\n%\ni\t1\nthey\t1\nwould\t2\nkind\t(1 2)3/4\nlike\t<of>5/3\n";
        let (cb, _) = crate::codebook::from_bytes(dic.as_bytes(), "t.dic")
            .unwrap_or_else(|d| panic!("{d:#?}"));
        let m = Matcher::compile(&cb);
        let by_word = |text: &str| -> Vec<(String, String)> {
            code(&m, text)
                .hits
                .iter()
                .map(|h| {
                    (
                        text[h.span.clone()].to_lowercase(),
                        m.categories[h.category].id.clone(),
                    )
                })
                .collect()
        };
        // They(pronoun) kind(after a pronoun: affect) of like(next word
        // "it", not "of": affect) it. A kind(after "a": filler) soul
        // would(discrep) like(next word "of": cogmech) of course
        // kind(after "course": filler) words.
        let text = "They kind of like it. A kind soul would like of course kind words.";
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(
            by_word(text),
            pairs(&[
                ("they", "pronoun"),
                ("kind", "affect"),
                ("like", "affect"),
                ("kind", "filler"),
                ("would", "discrep"),
                ("like", "cogmech"),
                ("kind", "filler"),
            ])
        );
        // The condition reads the word before, over punctuation; a text that
        // starts with the word has no previous word (else branch).
        assert_eq!(
            by_word("I would, kind"),
            pairs(&[("i", "pronoun"), ("would", "discrep"), ("kind", "affect")])
        );
        assert_eq!(
            by_word("Kind like"),
            pairs(&[("kind", "filler"), ("like", "affect")])
        );
    }

    #[test]
    fn negation_cancels_within_window_not_across_punctuation() {
        let m = matcher(
            r#"negation = { words = ["tidak", "not", "never"], window = 2 }
[[category]]
id = "a"
negate = true
entries = ["melaporkan", "report", { term = "data", negate = false }]
"#,
        );
        assert_eq!(count(&m, "a", "Polisi tidak melaporkan kasus itu."), 0);
        assert_eq!(count(&m, "a", "Polisi melaporkan kasus itu."), 1);
        assert_eq!(count(&m, "a", "did not publicly report"), 0);
        assert_eq!(count(&m, "a", "not at all a report"), 1);
        assert_eq!(count(&m, "a", "not, however, a report"), 1);
        assert_eq!(count(&m, "a", "not data"), 1);
        let (_, traces) = code_traced(&m, "tidak melaporkan");
        assert!(matches!(traces[0].fate, Fate::Negated { ref by } if *by == (0..5)));
    }

    #[test]
    fn weights_make_scores_and_min_score_decides() {
        let m = matcher(
            r#"[[category]]
id = "a"
min_score = 2.0
entries = [{ term = "lobby", weight = 1.5 }, "pressure"]
"#,
        );
        let c = code(&m, "lobby");
        assert_eq!((c.counts[0], c.scores[0]), (1, 1.5));
        assert!(!c.is_coded(&m, 0));
        let c = code(&m, "lobby and pressure");
        assert_eq!(c.scores[0], 2.5);
        assert!(c.is_coded(&m, 0));
    }

    #[test]
    fn case_sensitive_entries_and_dotted_acronyms() {
        let m = matcher(
            r#"[[category]]
id = "a"
entries = [{ term = "ECPAT", case_sensitive = true }, "U.S.", "F.B.I."]
"#,
        );
        assert_eq!(count(&m, "a", "ECPAT and Ecpat and ecpat"), 1);
        assert_eq!(
            count(&m, "a", "the U.S. State Department and the u.s. embassy"),
            2
        );
        assert_eq!(count(&m, "a", "an F.B.I. agent"), 1);
        assert_eq!(count(&m, "a", "US policy"), 0);
    }

    #[test]
    fn indonesian_morphology_in_running_text() {
        let m = matcher(
            r#"morphology = "id"
[[category]]
id = "a"
entries = ["lapor", "kampanye", "advokasi"]
"#,
        );
        let text = "LSM melaporkan kasus, berkampanye, dan mengadvokasi; laporan-laporan serta pelaporannya";
        assert_eq!(count(&m, "a", text), 5);
        assert_eq!(count(&m, "a", "kelapa dan pelapis"), 0);
    }
}
