//! Entries beyond word lists: proximity rules.
//!
//! `NEAR(a, b, n)` — `a` with `b` within `n` words, either side;
//! `BEFORE(a, b, n)` — `a` followed by `b` within `n` words;
//! `AFTER(a, b, n)` — `a` preceded by `b` within `n` words.
//! The infix spelling `a NEAR b n` is the same rule. An operand is a word,
//! glob or phrase, or `@category` for any counted hit of that category (its
//! subtree included). The hit is placed on `a`; `b` is context.

use super::Pattern;

/// One side of a proximity rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    Pattern(Pattern),
    /// A category id (without the `@`).
    Category(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Near,
    Before,
    After,
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

fn operand(s: &str) -> Result<Operand, String> {
    let s = s.trim();
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
                b: operand(parts[1])?,
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
                b: operand(&words[k + 1..words.len() - 1].join(" "))?,
                window: window(words[words.len() - 1])?,
                order,
            });
        }
        if t.starts_with('@') {
            return Err(format!(
                "`{t}`: a category reference can only be an operand of NEAR, BEFORE or AFTER"
            ));
        }
        Pattern::parse(t).map(Rule::Pattern)
    }

    /// Category ids the rule refers to.
    pub fn category_refs(&self) -> Vec<&str> {
        match self {
            Rule::Pattern(_) => Vec::new(),
            Rule::Proximity { a, b, .. } => [a, b]
                .into_iter()
                .filter_map(|o| match o {
                    Operand::Category(id) => Some(id.as_str()),
                    Operand::Pattern(_) => None,
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
    }
}
