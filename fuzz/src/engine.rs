//! The fuzzing loop: draw a case, run the target under a watchdog, shrink and save
//! what fails.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::mutate::{apply, case};
use crate::targets::Target;

/// A run slower than this is a finding.
pub const SLOW: Duration = Duration::from_secs(1);
/// A session stops after this many distinct findings.
pub const MAX_FINDINGS: usize = 20;
/// A run that does not finish in this time stops the fuzzer.
pub const HANG: Duration = Duration::from_secs(20);

/// Why an input fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The target panicked.
    Panic(String),
    /// A property of the target does not hold.
    Property(String),
    /// The target took longer than [`SLOW`].
    Slow(Duration),
}

impl Failure {
    fn kind(&self) -> &'static str {
        match self {
            Failure::Panic(_) => "panic",
            Failure::Property(_) => "property",
            Failure::Slow(_) => "slow",
        }
    }
}

/// Runs one input, catching panics and timing it. A slow run is repeated: it is a
/// finding only if three runs in a row are slow (a busy machine makes one run slow).
pub fn run_once(target: &Target, input: &[u8]) -> Option<Failure> {
    let mut outcome = run_timed(target, input);
    for _ in 0..2 {
        if !matches!(outcome, Some(Failure::Slow(_))) {
            break;
        }
        outcome = match run_timed(target, input) {
            Some(Failure::Slow(d)) => Some(Failure::Slow(d)),
            other => other,
        };
    }
    outcome
}

fn run_timed(target: &Target, input: &[u8]) -> Option<Failure> {
    let start = Instant::now();
    let result = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    let took = start.elapsed();
    match result {
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic".into());
            Some(Failure::Panic(message))
        }
        Ok(Err(property)) => Some(Failure::Property(property)),
        Ok(Ok(())) if took > SLOW => Some(Failure::Slow(took)),
        Ok(Ok(())) => None,
    }
}

/// One saved finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The shrunk failing input's file.
    pub file: PathBuf,
    /// Why it fails.
    pub failure: Failure,
}

/// What a fuzzing session did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Target name.
    pub target: &'static str,
    /// Inputs run (shrinking runs excluded).
    pub execs: u64,
    /// Wall time spent.
    pub elapsed: Duration,
    /// Failures found, shrunk and saved.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Executions per second.
    pub fn rate(&self) -> f64 {
        self.execs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Fuzzes `target` for `duration`, saving shrunk failures under `findings_dir`.
/// `seed` fixes the random sequence (same seed, same cases).
pub fn fuzz(
    target: &'static Target,
    repo: &Path,
    duration: Duration,
    findings_dir: &Path,
    seed: u64,
) -> anyhow::Result<Report> {
    let seeds = (target.seeds)(repo)?;
    anyhow::ensure!(!seeds.is_empty(), "target {} has no seeds", target.name);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = case(seeds.len());
    let quiet = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    // Warm-up, untimed: targets build what they share (the matrix) on first use.
    let _ = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(&seeds[0])));
    let start = Instant::now();
    let mut seen: Vec<String> = Vec::new();
    let mut execs = 0u64;
    let mut findings = Vec::new();
    let outcome = (|| -> anyhow::Result<()> {
        while start.elapsed() < duration && findings.len() < MAX_FINDINGS {
            let mut tree = strategy
                .new_tree(&mut runner)
                .map_err(|e| anyhow::anyhow!("drawing a case: {e}"))?;
            let input = apply(&seeds, &tree.current());
            execs += 1;
            let Some(failure) = guarded(target, input.clone())? else {
                continue;
            };
            // Shrink: keep simplifying while the input still fails the same way.
            let mut best = (input, failure);
            let mut steps = 0;
            while steps < 256 && tree.simplify() {
                steps += 1;
                let candidate = apply(&seeds, &tree.current());
                match guarded(target, candidate.clone())? {
                    Some(f) if f.kind() == best.1.kind() => best = (candidate, f),
                    _ => {
                        if !tree.complicate() {
                            break;
                        }
                    }
                }
            }
            let best = (shrink_lines(target, best.0, &best.1)?, best.1);
            let signature = format!("{:?}", best.1)
                .chars()
                .take(120)
                .collect::<String>();
            if seen.contains(&signature) {
                continue;
            }
            seen.push(signature);
            std::fs::create_dir_all(findings_dir)?;
            let file = findings_dir.join(format!(
                "{}-{}-{}.bin",
                target.name,
                best.1.kind(),
                findings.len()
            ));
            std::fs::write(&file, &best.0)?;
            findings.push(Finding {
                file,
                failure: best.1,
            });
        }
        Ok(())
    })();
    panic::set_hook(quiet);
    outcome?;
    Ok(Report {
        target: target.name,
        execs,
        elapsed: start.elapsed(),
        findings,
    })
}

/// Removes lines while the input still fails the same way (delta debugging, one
/// line at a time, bounded).
fn shrink_lines(
    target: &'static Target,
    input: Vec<u8>,
    failure: &Failure,
) -> anyhow::Result<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = input
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let mut chunk = (lines.len() / 2).max(1);
    let mut tries = 0;
    while chunk >= 1 && tries < 400 {
        let mut i = 0;
        let mut removed = false;
        while i < lines.len() && tries < 400 {
            tries += 1;
            let mut candidate = lines.clone();
            candidate.drain(i..(i + chunk).min(candidate.len()));
            match guarded(target, candidate.concat())? {
                Some(f) if f.kind() == failure.kind() => {
                    lines = candidate;
                    removed = true;
                }
                _ => i += chunk,
            }
        }
        if !removed {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    Ok(lines.concat())
}

/// Runs one input on a worker thread; a run past [`HANG`] is an error that stops
/// the session (the input is written to the error message's file).
fn guarded(target: &'static Target, input: Vec<u8>) -> anyhow::Result<Option<Failure>> {
    let (tx, rx) = mpsc::channel();
    let copy = input.clone();
    let worker = thread::Builder::new().stack_size(64 << 20).spawn(move || {
        let _ = tx.send(run_once(target, &copy));
    })?;
    match rx.recv_timeout(HANG) {
        // Joined, not detached: detaching a thread that is exiting at that very
        // moment crashed the process once in glibc (SIGSEGV in pthread_detach,
        // seen at the start of a proxy-path run on a loaded machine).
        Ok(result) => {
            let _ = worker.join();
            Ok(result)
        }
        Err(_) => {
            let file =
                std::env::temp_dir().join(format!("dockmatrix-fuzz-{}-hang.bin", target.name));
            std::fs::write(&file, &input)?;
            anyhow::bail!(
                "target {} hung (> {:?}) on the input saved at {}",
                target.name,
                HANG,
                file.display()
            )
        }
    }
}
