//! Built-in stopword lists: the function words of English, Indonesian and
//! Thai that `tanda freq --unmatched` and `tanda suggest` leave out, so a
//! list of words a dictionary lacks starts with content words. The lists
//! are deliberately small and cover closed classes only (articles,
//! pronouns, prepositions, conjunctions, auxiliaries, particles,
//! quantifiers). Obligation words a codebook may want (`shall`, `must`,
//! `wajib`, `harus`) are not in them.
//!
//! Words are written in lower case and folded like text when the set is
//! built (NFKC turns Thai `ำ` into `ํ` + `า`, as it does in text), so an
//! atom of the tokeniser is looked up as it is. The three
//! lists are used together: a passage's language is not known, and the
//! few words two languages share (`di`, `per`) are function words in both.

use std::collections::HashSet;
use std::sync::OnceLock;

/// English function words.
#[rustfmt::skip]
pub const ENGLISH: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "all", "almost", "along",
    "already", "also", "although", "always", "am", "among", "amongst", "an", "and", "another",
    "any", "anyone", "anything", "are", "around", "as", "at", "be", "became", "because",
    "become", "been", "before", "being", "below", "between", "both", "but", "by", "can",
    "cannot", "could", "did", "do", "does", "doing", "done", "down", "during", "each", "either",
    "else", "etc", "even", "ever", "every", "few", "for", "from", "further", "had", "has",
    "have", "having", "he", "hence", "her", "here", "hers", "herself", "him", "himself", "his",
    "how", "however", "i", "if", "in", "indeed", "into", "is", "it", "it's", "its", "itself",
    "just", "least", "less", "many", "may", "me", "might", "more", "most", "mostly", "much",
    "my", "myself", "neither", "no", "nor", "not", "now", "of", "off", "often", "on", "once",
    "one's", "only", "onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves",
    "out", "over", "own", "per", "quite", "rather", "same", "she", "should", "since", "so",
    "some", "something", "still", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "thereby", "therefore", "these", "they", "this", "those",
    "though", "through", "throughout", "thus", "to", "too", "toward", "towards", "under",
    "unless", "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what",
    "whatever", "when", "whenever", "where", "whereas", "whereby", "wherever", "whether",
    "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without",
    "would", "yet", "you", "your", "yours", "yourself", "yourselves",
];

/// Indonesian function words.
#[rustfmt::skip]
pub const INDONESIAN: &[&str] = &[
    "ada", "adalah", "adanya", "agar", "akan", "aku", "anda", "antara", "antaranya", "apa",
    "apabila", "atas", "atau", "bagaimana", "bagi", "bahkan", "bahwa", "baik", "banyak",
    "beberapa", "begitu", "belum", "beliau", "berbagai", "bila", "bisa", "bukan", "dalam",
    "dan", "dapat", "dari", "daripada", "demikian", "dengan", "di", "dia", "dll", "dsb", "hal",
    "hanya", "hingga", "ia", "ialah", "ini", "itu", "jadi", "jika", "juga", "justru", "kalau",
    "kami", "kamu", "kapan", "karena", "ke", "kemudian", "kepada", "ketika", "kini", "kita",
    "lagi", "lain", "lainnya", "lalu", "maka", "mana", "masih", "masing", "maupun", "melalui",
    "menjadi", "menurut", "mereka", "merupakan", "meski", "meskipun", "mengapa", "nya", "namun",
    "oleh", "pada", "para", "paling", "per", "perlu", "pula", "pun", "saat", "saja", "sama",
    "sampai", "sangat", "saya", "se", "sebagai", "sebagaimana", "sebelum", "sebuah", "secara",
    "sedang", "sedangkan", "sehingga", "sejak", "selain", "selama", "seluruh", "semua",
    "sendiri", "seorang", "sepanjang", "seperti", "serta", "sesuatu", "setelah", "setiap", "si",
    "siapa", "suatu", "sudah", "supaya", "tanpa", "tapi", "telah", "tentang", "terhadap",
    "tersebut", "tertentu", "tetapi", "tiap", "tidak", "tsb", "untuk", "walau", "walaupun",
    "yaitu", "yakni", "yang", "apakah", "adapun", "bersama", "dimana", "lebih", "kurang",
    "selalu", "sering", "sekitar", "kecuali", "sebab", "selanjutnya", "berikut", "sebelumnya",
    "kah", "lah", "tadi",
];

/// Thai function words (as the dictionary segmenter cuts them).
#[rustfmt::skip]
pub const THAI: &[&str] = &[
    "กับ", "การ", "ก็", "ของ", "ความ", "ควร", "คง", "คือ", "จะ", "จาก", "จึง", "ซึ่ง", "ด้วย",
    "ต่อ", "ตาม", "ต้อง", "ถ้า", "ถึง", "ทั้ง", "ทุก", "ที่", "นั้น", "นี้", "บาง", "เป็น",
    "ไป", "เพราะ", "เพื่อ", "มา", "มี", "ยัง", "ระหว่าง", "แล้ว", "และ", "ว่า", "หรือ", "หาก",
    "อยู่", "อย่าง", "อาจ", "อีก", "เช่น", "เมื่อ", "เรา", "เขา", "แก่", "แต่", "โดย", "ใน",
    "ให้", "ได้", "ไม่", "กัน", "กว่า", "นะ", "ครับ", "ค่ะ", "อะไร", "ใคร", "ไหน", "ทำไม",
    "นี่", "นั่น", "ตั้งแต่", "จน", "เพียง", "แม้", "ขณะ", "ถูก", "สำหรับ",
];

fn all() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        ENGLISH
            .iter()
            .chain(INDONESIAN)
            .chain(THAI)
            .map(|w| crate::text::fold(w))
            .collect()
    })
}

/// Is this folded atom a function word of one of the built-in lists?
pub fn is_stopword(atom: &str) -> bool {
    all().contains(atom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_folded_unique_and_of_the_promised_size() {
        for list in [ENGLISH, INDONESIAN, THAI] {
            let mut seen = HashSet::new();
            let mut bad = Vec::new();
            for w in list {
                assert!(seen.insert(*w), "{w} twice");
                // Each is one atom of the tokeniser, so it can be looked up.
                let t = crate::text::tokenize(w);
                if t.atoms.len() != 1 || t.norm(0) != crate::text::fold(w) {
                    bad.push(*w);
                }
            }
            assert!(bad.is_empty(), "not one atom: {bad:?}");
        }
        assert!(ENGLISH.len() >= 150, "{}", ENGLISH.len());
        assert!(INDONESIAN.len() >= 140, "{}", INDONESIAN.len());
        assert!(THAI.len() >= 40, "{}", THAI.len());
    }

    #[test]
    fn function_words_in_and_content_words_out() {
        for w in ["the", "yang", "dan", "และ", "ของ", "of"] {
            assert!(is_stopword(w), "{w}");
        }
        // Looked up as the tokeniser folds it (ำ decomposed by NFKC).
        assert!(is_stopword(&crate::text::fold("ทำไม")));
        for w in [
            "lobby",
            "pemerintah",
            "shall",
            "harus",
            "wajib",
            "children",
            "เด็ก",
        ] {
            assert!(!is_stopword(w), "{w}");
        }
    }
}
