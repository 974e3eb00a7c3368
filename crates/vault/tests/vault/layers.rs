//! The vault crate's modules import each other in one direction only: no circle, storage
//! (`db`) on plain types alone, and the core (`vault`) on no flow module. Read from the
//! source, so a new `use` that breaks the rule fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `src/` and the top-level modules its code names as
/// `crate::…` (in `use` items and paths alike), comments left out.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path == src.join("lib.rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str();
            let module = Path::new(first)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let names = graph.entry(module.clone()).or_default();
            for line in text.lines() {
                let code = line.split("//").next().unwrap_or("");
                for (i, _) in code.match_indices("crate::") {
                    let rest = &code[i + "crate::".len()..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let lower = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
                    if lower && name != module {
                        names.insert(name);
                    }
                }
            }
        }
    }
    graph
}

#[test]
fn no_module_imports_back_a_module_that_imports_it() {
    let graph = imports();
    // Depth-first search for a path from each module back to itself.
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Vec<&str>> = vec![vec![start.as_str()]];
        while let Some(path) = stack.pop() {
            let last = *path.last().unwrap();
            for next in graph.get(last).into_iter().flatten() {
                if next == start {
                    panic!("import circle: {} -> {start}", path.join(" -> "));
                }
                if seen.insert(next.as_str()) {
                    let mut longer = path.clone();
                    longer.push(next);
                    stack.push(longer);
                }
            }
        }
    }
}

#[test]
fn storage_depends_on_plain_types_and_the_core_on_no_flow() {
    let graph = imports();
    let plain: BTreeSet<&str> = ["clock", "error", "model"].into();
    let storage = &graph["db"];
    let beyond: Vec<_> = storage
        .iter()
        .filter(|m| !plain.contains(m.as_str()))
        .collect();
    assert!(beyond.is_empty(), "db imports {beyond:?}");
    let flows = [
        "sign_in", "current", "accounts", "audit", "health", "step_up", "seed",
    ];
    let core = &graph["vault"];
    let reached: Vec<_> = flows.iter().filter(|f| core.contains(**f)).collect();
    assert!(reached.is_empty(), "the core imports the flows {reached:?}");
}
