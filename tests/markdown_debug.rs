use dockmatrix::ingest::{ingest_file, SpecFormat};
use std::path::PathBuf;
#[test]
fn dump() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/specs/docker");
    for minor in 0..=24u16 {
        let f = dir.join(format!("v1.{minor}.md"));
        match ingest_file(&f, SpecFormat::Markdown, dockmatrix::ApiVersion::new(1, minor)) {
            Ok(s) => {
                let n: usize = s.openapi.operations().count();
                println!("v1.{minor}: {n} ops, {} warnings", s.warnings.len());
                for w in &s.warnings { println!("   W {} {}: {}", w.file, w.location, w.message); }
                if std::env::var("DUMP").is_ok() { for (p, m, o) in s.openapi.operations() { println!("   {m} {p} [{}] {}", o.tags.join(","), o.parameters.len()); } }
            }
            Err(e) => println!("v1.{minor}: ERROR {e}"),
        }
    }
}
