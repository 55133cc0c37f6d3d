//! tanda's clustered crosstab tests (src/report/cluster.rs) against the
//! reference figures in tests/fixtures/raoscott/cases.json, which
//! tests/crosscheck/raoscott_crosscheck.py computes with samplics (Rao–Scott,
//! as R's svychisq) and statsmodels (Poisson GLM with log(words) offset).

use tanda::report::cluster::{
    ClusterSums, DesignCorrection, RATE_CLUSTERED_NAME, RateSums, rao_scott, rate_test,
};

const TOL: f64 = 1e-6;

fn fixture() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/raoscott/cases.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn check(problems: &mut Vec<String>, case: &str, what: &str, got: f64, want: &serde_json::Value) {
    let want = want.as_f64().unwrap();
    if got.is_nan() || (got - want).abs() > TOL * want.abs() {
        problems.push(format!("{case} {what}: tanda {got}, reference {want}"));
    }
}

fn check_correction(
    problems: &mut Vec<String>,
    case: &str,
    c: &DesignCorrection,
    want: &serde_json::Value,
) {
    for (name, got) in [
        ("mean_deff", c.mean_deff),
        ("chi2", c.chi2),
        ("p_chi2", c.p_chi2),
        ("f", c.f),
        ("df1", c.df1),
        ("df2", c.df2),
        ("p_f", c.p_f),
    ] {
        check(problems, case, name, got, &want[name]);
    }
}

#[test]
fn cluster_cases_match_references() {
    let fx = fixture();
    let cases = fx["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    let mut problems = Vec::new();
    let mut figures = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let k = case["groups"].as_u64().unwrap() as usize;
        let docs: Vec<Vec<f64>> = case["docs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect()
            })
            .collect();
        // Tally in two halves (every other document), merged by addition, as
        // per-thread or per-shard tallies are.
        let mut cs = vec![ClusterSums::default(); k];
        let mut rs = vec![RateSums::default(); k];
        let mut cs2 = cs.clone();
        let mut rs2 = rs.clone();
        for (i, d) in docs.iter().enumerate() {
            let g = d[0] as usize;
            let (c, r) = if i % 2 == 0 {
                (&mut cs, &mut rs)
            } else {
                (&mut cs2, &mut rs2)
            };
            c[g].add_cluster(d[1], d[2]);
            r[g].add_cluster(d[4], d[3]);
        }
        for g in 0..k {
            cs[g].add(&cs2[g]);
            rs[g].add(&rs2[g]);
        }

        let want = &case["rao_scott"];
        let t = rao_scott(&cs).unwrap_or_else(|| panic!("{name}: no Rao–Scott test"));
        assert_eq!(t.clusters as usize, docs.len(), "{name}");
        assert_eq!(t.df, k - 1);
        check(&mut problems, name, "pearson", t.pearson, &want["pearson"]);
        check(
            &mut problems,
            name,
            "p_pearson",
            t.p_pearson,
            &want["p_pearson"],
        );
        check_correction(&mut problems, name, &t.correction, want);

        let want = &case["rate"];
        let plain = rate_test(&rs, false).unwrap_or_else(|| panic!("{name}: no rate test"));
        check(&mut problems, name, "g2", plain.g2, &want["g2"]);
        check(&mut problems, name, "p_g2", plain.p_g2, &want["p_g2"]);
        let t = rate_test(&rs, true).unwrap_or_else(|| panic!("{name}: no clustered rate test"));
        assert_eq!(t.name, RATE_CLUSTERED_NAME);
        assert_eq!(t.g2, plain.g2);
        check_correction(&mut problems, name, t.correction.as_ref().unwrap(), want);
        figures += 20;
    }
    assert!(
        problems.is_empty(),
        "{} of {figures} figures differ:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
