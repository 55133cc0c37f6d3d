//! Unit tests of reading inputs as what they are: ids of file names that
//! are not UTF-8, metadata variables renamed away from result columns.

use super::*;

#[cfg(unix)]
#[test]
fn names_differing_only_in_bad_bytes_get_two_ids_written_visibly() {
    use std::os::unix::ffi::OsStrExt;
    let ff = id_part(std::ffi::OsStr::from_bytes(b"caf\xFF.txt"));
    let fe = id_part(std::ffi::OsStr::from_bytes(b"caf\xFE.txt"));
    assert_eq!(ff, ("caf\\xFF.txt".to_string(), true));
    assert_eq!(fe, ("caf\\xFE.txt".to_string(), true));
    // Valid UTF-8 is kept as it is, and not flagged.
    let ok = id_part(std::ffi::OsStr::from_bytes("caf\u{e9}.txt".as_bytes()));
    assert_eq!(ok, ("caf\u{e9}.txt".to_string(), false));
    // A truncated `é` (0xC3 without its second byte) is one bad byte.
    let cut = id_part(std::ffi::OsStr::from_bytes(b"caf\xC3.txt"));
    assert_eq!(cut.0, "caf\\xC3.txt");
}

#[test]
fn fields_named_like_result_columns_are_renamed_with_a_warning() {
    let fields: Vec<String> = ["source_type", "words", "title", "information", "language"]
        .map(String::from)
        .to_vec();
    let origins: Vec<String> = [
        "",
        "front matter of c/a.md",
        "c/metadata.csv",
        "c/metadata.csv",
        "",
    ]
    .map(String::from)
    .to_vec();
    let taken = |f: &str| ["words", "text", "information"].contains(&f);
    let r = rename_fields(&fields, &origins, taken);
    assert_eq!(
        r.fields,
        [
            "source_type",
            "meta:words",
            "title",
            "meta:information",
            "language"
        ]
    );
    assert_eq!(
        r.renames,
        vec![
            ("words".to_string(), "meta:words".to_string()),
            ("information".to_string(), "meta:information".to_string())
        ]
    );
    assert_eq!(r.warnings.len(), 2);
    assert!(
        r.warnings[0].contains("`words` (from front matter of c/a.md)")
            && r.warnings[0].contains("`meta:words`"),
        "{}",
        r.warnings[0]
    );
    assert!(
        r.warnings[1].contains("c/metadata.csv"),
        "{}",
        r.warnings[1]
    );
    // A new name that is itself taken gets another prefix.
    let taken = |f: &str| f == "text" || f == "meta:text";
    let r = rename_fields(&["text".to_string()], &[String::new()], taken);
    assert_eq!(r.fields, ["meta:meta:text"]);
    // Nothing taken, nothing renamed.
    let r = rename_fields(&fields, &origins, |_| false);
    assert_eq!(
        (r.fields, r.renames.len(), r.warnings.len()),
        (fields, 0, 0)
    );
}

#[test]
fn own_columns_are_the_fixed_ones_and_each_category_s() {
    use crate::report::write::is_own_column;
    let cats = vec!["information".to_string(), "leverage.moral".to_string()];
    for name in [
        "doc_id",
        "passage_id",
        "unit",
        "words",
        "passages",
        "matched",
        "text",
        "information",
        "information:hits",
        "leverage.moral:score",
        "leverage.moral:counter",
        "information:passages_pct",
        "information:hits_per_1000_words",
    ] {
        assert!(is_own_column(name, &cats), "{name}");
    }
    for name in [
        "year",
        "title",
        "leverage",
        "information:note",
        "Words",
        "meta:words",
    ] {
        assert!(!is_own_column(name, &cats), "{name}");
    }
}
