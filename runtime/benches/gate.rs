//! Cost of the version gates (target: well under 50 ns per check).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use dockmatrix_runtime::{
    check_operation, check_parameter, ApiVersion, Gate, HttpMethod, OperationInfo, ParamInfo,
    ParamLocation, ReleaseLine, Served, VersionRange,
};

const fn v(minor: u16) -> ApiVersion {
    ApiVersion::new(1, minor)
}

static OP: OperationInfo = OperationInfo::new(
    "ContainerList",
    HttpMethod::Get,
    "/containers/json",
    &[
        VersionRange::new(Some(v(0)), Some(v(10))),
        VersionRange::new(Some(v(12)), Some(v(30))),
        VersionRange::new(Some(v(31)), None),
    ],
);
static RELEASES: [ReleaseLine; 1] = [ReleaseLine::new("20.10", "v20.10.27", "20.10", v(41))];
static SERVED_OP: OperationInfo = OperationInfo::new(
    "ContainerList",
    HttpMethod::Get,
    "/containers/json",
    &[VersionRange::new(Some(v(25)), None)],
)
.with_served(&[
    Served::new(0x2, &[VersionRange::new(Some(v(30)), None)], &[]),
    Served::new(0x1, &[VersionRange::new(None, None)], &[]),
]);
static PARAM: ParamInfo = ParamInfo::new(
    "filters",
    ParamLocation::Query,
    &[
        VersionRange::new(Some(v(19)), Some(v(40))),
        VersionRange::new(Some(v(44)), None),
    ],
);

fn gates(c: &mut Criterion) {
    c.bench_function("check_operation ok (3 ranges, last matches)", |b| {
        b.iter(|| check_operation(black_box(&OP), black_box(Gate::documents(v(41)))).is_ok())
    });
    c.bench_function("check_parameter ok", |b| {
        b.iter(|| {
            check_parameter(
                black_box(&OP),
                black_box(&PARAM),
                black_box(Gate::documents(v(45))),
            )
            .is_ok()
        })
    });
    c.bench_function("check_parameter rejected (builds error)", |b| {
        b.iter(|| {
            check_parameter(
                black_box(&OP),
                black_box(&PARAM),
                black_box(Gate::documents(v(41))),
            )
            .is_err()
        })
    });
}

fn served_gates(c: &mut Criterion) {
    let gate = Gate {
        version: v(24),
        release: Some((0, &RELEASES[0])),
    };
    c.bench_function(
        "check_operation ok by the release's code (2 entries)",
        |b| b.iter(|| check_operation(black_box(&SERVED_OP), black_box(gate)).is_ok()),
    );
}

criterion_group!(benches, gates, served_gates);
criterion_main!(benches);
