//! Ingest + matrix of the whole corpus (56 versions), and the stages separately.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use dockmatrix_core::analysis::snapshot;
use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_core::pipeline::{build_matrix, load_models, matrix_from};

fn corpus() -> Corpus {
    Corpus::open(&CorpusOptions::default()).expect("spec corpus available (see README)")
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.bench_function("ingest_all_56", |b| {
        b.iter(|| black_box(corpus.load_all().expect("ingest")))
    });
    let models = load_models(&corpus).expect("models");
    group.bench_function("matrix_from_models", |b| {
        b.iter(|| black_box(matrix_from(&corpus, &models).expect("matrix")))
    });
    group.bench_function("ingest_and_matrix", |b| {
        b.iter(|| black_box(build_matrix(&corpus).expect("matrix")))
    });
    group.bench_function("matrix_json", |b| {
        let matrix = build_matrix(&corpus).expect("matrix");
        b.iter(|| black_box(serde_json::to_vec_pretty(&matrix).expect("json")))
    });
    group.bench_function("snapshot_decode", |b| {
        let bytes = snapshot::encode(&build_matrix(&corpus).expect("matrix")).expect("encode");
        b.iter(|| black_box(snapshot::decode(&bytes).expect("decode")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
