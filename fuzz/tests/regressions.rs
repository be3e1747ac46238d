//! Every committed finding under `tests/fuzz-regressions/TARGET/` runs clean now:
//! no panic, no broken property, not slow.

use std::path::Path;

use dockmatrix_fuzz::engine::run_once;
use dockmatrix_fuzz::targets::TARGETS;

#[test]
fn committed_findings_run_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fuzz-regressions");
    let mut ran = 0;
    for target in TARGETS {
        let dir = root.join(target.name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for file in files {
            let input = std::fs::read(&file).unwrap();
            let failure = run_once(target, &input);
            assert!(failure.is_none(), "{}: {failure:?}", file.display());
            ran += 1;
        }
    }
    assert!(ran > 0, "no regression inputs under {}", root.display());
}
