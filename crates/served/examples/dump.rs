//! Prints the served facts of one tag (or all) as JSON: `cargo run -p dockmatrix-served --example dump -- [TAG]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = dockmatrix_served::locate_in(&repo)?;
    let start = std::time::Instant::now();
    match std::env::args().nth(1) {
        Some(tag) => {
            let facts = dockmatrix_served::read_tag(&dir.join(tag))?;
            println!("{}", serde_json::to_string_pretty(&facts)?);
        }
        None => {
            let corpus = dockmatrix_served::read_corpus(&dir)?;
            for t in &corpus.tags {
                let params: usize = t.operations.iter().map(|o| o.params.len()).sum();
                println!(
                    "{} max={:?} min={:?} ops={} reads={} unresolved={}",
                    t.tag,
                    t.api.max_version().map(|v| v.to_string()),
                    t.api.min_version().map(|v| v.to_string()),
                    t.operations.len(),
                    params,
                    t.unresolved.len()
                );
            }
        }
    }
    eprintln!("{:?}", start.elapsed());
    Ok(())
}
