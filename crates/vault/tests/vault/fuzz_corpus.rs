//! The fuzzers' checked-in corpus (`fuzz/corpus/`), run through the same entry points as
//! `make fuzz` runs, as plain tests: every input that ever found something, or grew
//! coverage, stays a regression test.

use std::path::Path;

fn run_corpus(target: &str, entry: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut inputs = 0;
    for file in std::fs::read_dir(&dir).unwrap() {
        let path = file.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| entry(&data));
        assert!(outcome.is_ok(), "{} panicked", path.display());
        inputs += 1;
    }
    assert!(inputs >= 20, "only {inputs} inputs in {}", dir.display());
}

#[test]
fn the_untrusted_text_corpus_passes() {
    run_corpus("untrusted_text", vault::fuzz::untrusted_text);
}

#[test]
fn the_requests_corpus_passes() {
    run_corpus("requests", vault::fuzz::requests);
}
