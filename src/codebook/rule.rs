//! Entries beyond word lists: proximity rules.
//!
//! `NEAR(a, b, n)` — `a` with `b` within `n` words, either side;
//! `BEFORE(a, b, n)` — `a` followed by `b` within `n` words;
//! `AFTER(a, b, n)` — `a` preceded by `b` within `n` words.
//! The infix spelling `a NEAR b n` is the same rule. An operand is a word,
//! glob or phrase, or `@category` for any counted hit of that category (its
//! subtree included). The hit is placed on `a`; `b` is context.
//!
//! `NOTNEAR`, `NOTBEFORE` and `NOTAFTER` are the complements: a hit on each
//! `a` that has *no* `b` within `n` words on that side. The context `b` may
//! list alternatives separated by `|` (`@pronoun | @discrep`): any of them
//! satisfies the condition. Together they express LIWC2007's conditional
//! entries exactly: `kind (02 134)125/464` is `AFTER(kind, @pronoun |
//! @discrep, 1)` in category 125 plus `NOTAFTER(kind, @pronoun | @discrep, 1)`
//! in category 464 (see [`super::liwc`]).

use super::Pattern;

/// One side of a proximity rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    Pattern(Pattern),
    /// A category id (without the `@`).
    Category(String),
    /// Alternatives (`x | @cat | y z`), any of which satisfies a condition;
    /// only the context operand `b` may hold them.
    Any(Vec<Operand>),
}

impl Operand {
    /// The simple operands this one stands for (itself, or its alternatives).
    pub fn alternatives(&self) -> Vec<&Operand> {
        match self {
            Operand::Any(v) => v.iter().collect(),
            o => vec![o],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Near,
    Before,
    After,
    /// No `b` within the window, either side.
    NotNear,
    /// No `b` following within the window.
    NotBefore,
    /// No `b` preceding within the window.
    NotAfter,
}

impl Order {
    /// The positive order this one is (or complements), and whether it is a
    /// complement.
    pub fn base(self) -> (Order, bool) {
        match self {
            Order::NotNear => (Order::Near, true),
            Order::NotBefore => (Order::Before, true),
            Order::NotAfter => (Order::After, true),
            o => (o, false),
        }
    }

    /// The keyword as written in an entry.
    pub fn keyword(self) -> &'static str {
        match self {
            Order::Near => "NEAR",
            Order::Before => "BEFORE",
            Order::After => "AFTER",
            Order::NotNear => "NOTNEAR",
            Order::NotBefore => "NOTBEFORE",
            Order::NotAfter => "NOTAFTER",
        }
    }
}

/// A compiled entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Pattern(Pattern),
    Proximity {
        a: Operand,
        b: Operand,
        window: usize,
        order: Order,
    },
}

/// Largest proximity window accepted, in words.
pub const MAX_WINDOW: usize = 1000;

/// The context operand `b`: one operand or alternatives joined by `|`.
fn alternatives(s: &str) -> Result<Operand, String> {
    if !s.contains('|') {
        return operand(s);
    }
    let parts: Vec<&str> = s.split('|').collect();
    if parts.iter().any(|p| p.trim().is_empty()) {
        return Err(format!(
            "`{}`: an empty alternative; write `x | y`",
            s.trim()
        ));
    }
    parts
        .into_iter()
        .map(operand)
        .collect::<Result<Vec<_>, _>>()
        .map(Operand::Any)
}

fn operand(s: &str) -> Result<Operand, String> {
    let s = s.trim();
    if s.contains('|') {
        return Err(format!(
            "`{s}`: alternatives (`|`) are allowed in the context operand only (the second one)"
        ));
    }
    if let Some(id) = s.strip_prefix('@') {
        if id.is_empty() || id.contains(char::is_whitespace) {
            return Err(format!(
                "`{s}` is not a category reference; write @category.id"
            ));
        }
        return Ok(Operand::Category(id.to_string()));
    }
    Pattern::parse(s)
        .map(Operand::Pattern)
        .map_err(|e| format!("operand `{s}`: {e}"))
}

fn order_of(word: &str) -> Option<Order> {
    match word {
        "NEAR" => Some(Order::Near),
        "BEFORE" => Some(Order::Before),
        "AFTER" => Some(Order::After),
        "NOTNEAR" => Some(Order::NotNear),
        "NOTBEFORE" => Some(Order::NotBefore),
        "NOTAFTER" => Some(Order::NotAfter),
        _ => None,
    }
}

fn window(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_WINDOW).contains(&n) => Ok(n),
        _ => Err(format!(
            "the window `{}` must be a number of words from 1 to {MAX_WINDOW}",
            s.trim()
        )),
    }
}

impl Rule {
    /// Compile an entry as written.
    pub fn parse(text: &str) -> Result<Rule, String> {
        let t = text.trim();
        // Function form: NEAR(a, b, n)
        if let Some(open) = t.find('(')
            && let Some(order) = order_of(t[..open].trim())
        {
            let Some(inner) = t[open + 1..].strip_suffix(')') else {
                return Err(format!("`{t}` is missing its closing `)`"));
            };
            let parts: Vec<&str> = inner.split(',').collect();
            if parts.len() != 3 {
                return Err(format!(
                    "`{t}` needs three parts: {}(a, b, words)",
                    t[..open].trim()
                ));
            }
            return Ok(Rule::Proximity {
                a: operand(parts[0])?,
                b: alternatives(parts[1])?,
                window: window(parts[2])?,
                order,
            });
        }
        // Infix form: a NEAR b n
        let words: Vec<&str> = t.split_whitespace().collect();
        if let Some(k) = words.iter().position(|w| order_of(w).is_some()) {
            let order = order_of(words[k]).unwrap_or(Order::Near);
            if k == 0 || k + 2 >= words.len() {
                return Err(format!("`{t}` must read `a {} b words`", words[k]));
            }
            return Ok(Rule::Proximity {
                a: operand(&words[..k].join(" "))?,
                b: alternatives(&words[k + 1..words.len() - 1].join(" "))?,
                window: window(words[words.len() - 1])?,
                order,
            });
        }
        if t.starts_with('@') {
            return Err(format!(
                "`{t}`: a category reference can only be an operand of NEAR, BEFORE, AFTER or their NOT forms"
            ));
        }
        Pattern::parse(t).map(Rule::Pattern)
    }

    /// Category ids the rule refers to.
    pub fn category_refs(&self) -> Vec<&str> {
        match self {
            Rule::Pattern(_) => Vec::new(),
            Rule::Proximity { a, b, .. } => a
                .alternatives()
                .into_iter()
                .chain(b.alternatives())
                .filter_map(|o| match o {
                    Operand::Category(id) => Some(id.as_str()),
                    _ => None,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_parse_alike() {
        let f = Rule::parse("NEAR(@actors.ngo, lobb*, 10)").unwrap();
        let i = Rule::parse("@actors.ngo NEAR lobb* 10").unwrap();
        assert_eq!(f, i);
        assert_eq!(f.category_refs(), vec!["actors.ngo"]);
        let b = Rule::parse("BEFORE(national plan of action, review*, 5)").unwrap();
        let Rule::Proximity {
            a, window, order, ..
        } = b
        else {
            panic!()
        };
        assert_eq!(window, 5);
        assert_eq!(order, Order::Before);
        assert!(matches!(a, Operand::Pattern(p) if p.atoms.len() == 4));
    }

    #[test]
    fn bad_rules_say_why() {
        assert!(
            Rule::parse("NEAR(a, b)")
                .unwrap_err()
                .contains("three parts")
        );
        assert!(Rule::parse("NEAR(a, b, 0)").unwrap_err().contains("from 1"));
        assert!(Rule::parse("NEAR(a, b, 5").unwrap_err().contains("closing"));
        assert!(Rule::parse("a NEAR 5").unwrap_err().contains("must read"));
        assert!(Rule::parse("@leverage").unwrap_err().contains("operand"));
        assert!(Rule::parse("near east").is_ok());
        assert!(
            Rule::parse("NOTAFTER(a, b |, 1)")
                .unwrap_err()
                .contains("empty alternative")
        );
        assert!(
            Rule::parse("NOTAFTER(a | c, b, 1)")
                .unwrap_err()
                .contains("context operand only")
        );
    }

    #[test]
    fn complements_and_alternatives() {
        let r = Rule::parse("NOTAFTER(kind, @funct.pronoun | @discrep | a lot, 1)").unwrap();
        let Rule::Proximity {
            ref b,
            order,
            window,
            ..
        } = r
        else {
            panic!()
        };
        assert_eq!((order, window), (Order::NotAfter, 1));
        assert_eq!(order.base(), (Order::After, true));
        assert_eq!(b.alternatives().len(), 3);
        assert_eq!(r.category_refs(), vec!["funct.pronoun", "discrep"]);
        assert_eq!(
            Rule::parse("like NOTBEFORE of 1").unwrap(),
            Rule::parse("NOTBEFORE(like, of, 1)").unwrap()
        );
    }
}
