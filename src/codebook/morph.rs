//! Indonesian morphology by generation: a root entry (`lapor`) is expanded at
//! compile time into its affixed forms (`melapor`, `melaporkan`, `pelaporan`,
//! `dilaporkan`, `laporannya` …), which are then matched as exact words.
//!
//! We generate rather than stem because generation keeps matching exact and
//! cheap (a hash lookup per word, no stemmer in the hot path), never merges
//! two roots the way stemmers do (Snowball strips `menyatakan` to `sata`, a
//! dictionary stemmer to `nyata`), and a codebook author can see exactly
//! which forms an entry stands for (`tanda codebook test`). Reduplication
//! (`anak-anak`) needs no rule: the tokenizer already reads `X-X` as `X`.
//!
//! Rules (Sneddon et al., *Indonesian: A Comprehensive Grammar*, ch. 2–3):
//! prefixes di-, ter-, ke-, se-, ber-, per-, pe-, memper-, diper-, and meN-/peN-
//! with nasal assimilation — vowel, g, h → meng-; b, f, v → mem-;
//! p → mem- with p dropped; d, c, j, z, sy → men-; t → men- with t dropped;
//! s → meny- with s dropped; k → meng- with k dropped; l, m, n, r, w, y →
//! me-; one-syllable roots also menge-. Loanwords keep their first
//! consonant (memproses, mengkampanyekan, mensosialisasikan), so for p, t, s
//! and k both forms are generated. Suffixes -kan, -an, -i, -nya and their
//! combinations with -nya, plus -ku, -mu, -lah, -kah. The one irregular root
//! covered is `ajar` (belajar, pelajar). Confixes (ke-…-an,
//! per-…-an, peN-…-an, ber-…-an, di-…-kan, se-…-nya) are the products of a
//! prefix and a suffix.

use std::collections::BTreeSet;

const SUFFIXES: &[&str] = &[
    "", "kan", "an", "i", "nya", "kannya", "annya", "inya", "ku", "mu", "lah", "kah",
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Count vowel groups: a rough syllable count.
fn syllables(root: &str) -> usize {
    let mut n = 0;
    let mut prev = false;
    for c in root.chars() {
        let v = is_vowel(c);
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    n
}

/// The nasal prefix forms of `root` with base `me` or `pe`.
fn nasal(base: &str, root: &str) -> Vec<String> {
    let first = root.chars().next().unwrap_or('a');
    let rest: String = root.chars().skip(1).collect();
    let mut out = Vec::new();
    let m = |suffix: &str, stem: &str| format!("{base}{suffix}{stem}");
    if root.starts_with("sy") || root.starts_with("kh") {
        out.push(m("n", root));
        out.push(m("ng", root));
    } else if root.starts_with("ng") || root.starts_with("ny") {
        out.push(m("", root));
    } else {
        match first {
            c if is_vowel(c) => out.push(m("ng", root)),
            'g' | 'h' => out.push(m("ng", root)),
            'b' | 'f' | 'v' => out.push(m("m", root)),
            'p' => {
                out.push(m("m", &rest));
                out.push(m("m", root));
            }
            'd' | 'c' | 'j' | 'z' => out.push(m("n", root)),
            't' => {
                out.push(m("n", &rest));
                out.push(m("n", root));
            }
            's' => {
                out.push(m("ny", &rest));
                out.push(m("n", root));
            }
            'k' => {
                out.push(m("ng", &rest));
                out.push(m("ng", root));
            }
            _ => out.push(m("", root)),
        }
    }
    if syllables(root) == 1 {
        out.push(m("nge", root));
    }
    out
}

/// Every affixed form generated for `root` (folded, lower case), the root
/// itself included. Roots shorter than three letters or with anything but
/// letters are returned alone: expanding them would match too much.
pub fn indonesian_forms(root: &str) -> BTreeSet<String> {
    let mut forms = BTreeSet::new();
    forms.insert(root.to_string());
    if root.chars().count() < 3 || !root.chars().all(|c| c.is_ascii_lowercase()) {
        return forms;
    }
    let starts_r = root.starts_with('r');
    let er_syllable = root.len() > 3 && &root[1..3] == "er";
    let mut stems: Vec<String> = vec![root.to_string()];
    for p in ["di", "ke", "se", "memper", "diper"] {
        stems.push(format!("{p}{root}"));
    }
    stems.push(format!("ter{root}"));
    stems.push(format!("ber{root}"));
    stems.push(format!("per{root}"));
    if starts_r {
        stems.push(format!("te{root}"));
        stems.push(format!("pe{root}"));
    }
    if starts_r || er_syllable {
        stems.push(format!("be{root}"));
    }
    // Plain pe- (not peN-) forms agent nouns: pekerja, pedagang, petani.
    stems.push(format!("pe{root}"));
    // The one irregular root: belajar, pelajar, pelajaran.
    if root == "ajar" {
        stems.push("belajar".to_string());
        stems.push("pelajar".to_string());
    }
    stems.extend(nasal("me", root));
    stems.extend(nasal("pe", root));
    for stem in &stems {
        for s in SUFFIXES {
            forms.insert(format!("{stem}{s}"));
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nasal_assimilation() {
        let cases = [
            ("pukul", "memukul"),
            ("sapu", "menyapu"),
            ("tulis", "menulis"),
            ("kirim", "mengirim"),
            ("lapor", "melaporkan"),
            ("lobi", "melobi"),
            ("desak", "mendesak"),
            ("advokasi", "mengadvokasi"),
            ("kampanye", "mengkampanyekan"),
            ("sosialisasi", "mensosialisasikan"),
            ("proses", "memproses"),
            ("bom", "mengebom"),
            ("tegak", "penegakan"),
            ("lapor", "pelaporan"),
            ("lindung", "perlindungan"),
            ("adil", "keadilan"),
            ("awas", "pengawasan"),
            ("kampanye", "berkampanye"),
            ("lapor", "dilaporkan"),
            ("lapor", "laporannya"),
            ("renang", "berenang"),
            ("kerja", "bekerja"),
            ("hukum", "menghukum"),
            ("baru", "memperbarui"),
        ];
        for (root, form) in cases {
            assert!(indonesian_forms(root).contains(form), "{root} → {form}");
        }
    }

    #[test]
    fn no_false_relatives() {
        let cases = [
            ("dana", "pidana"),
            ("kecam", "kecamatan"),
            ("uang", "ruang"),
            ("ajar", "sejarah"),
            ("aman", "pemandangan"),
        ];
        for (root, form) in cases {
            assert!(!indonesian_forms(root).contains(form), "{root} ↛ {form}");
        }
    }

    #[test]
    fn short_or_odd_roots_are_not_expanded() {
        assert_eq!(indonesian_forms("uu").len(), 1);
        assert_eq!(indonesian_forms("ham2").len(), 1);
    }
}
