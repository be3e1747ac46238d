//! Swagger 2.0 ingest against the real corpus (v1.25–v1.55) and against broken
//! inputs built at run time.

use std::path::{Path, PathBuf};

use dockmatrix_core::ingest::validate::dangling_refs;
use dockmatrix_core::ingest::{ingest_file, ingest_text, IngestError, IngestedSpec, SpecFormat};
use dockmatrix_core::ApiVersion;
use openapiv3::{
    OpenAPI, Operation, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody,
    Response, Schema, SchemaKind, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};

fn specs_dir() -> PathBuf {
    match dockmatrix_core::corpus::locate_in(Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Ok(found) => found.dir,
        Err(e) => panic!("{e}"),
    }
}

fn version(minor: u16) -> ApiVersion {
    ApiVersion::new(1, minor)
}

fn spec_path(minor: u16) -> PathBuf {
    specs_dir().join(format!("v1.{minor}.yaml"))
}

fn ingest(minor: u16) -> IngestedSpec {
    ingest_file(&spec_path(minor), SpecFormat::Swagger, version(minor))
        .unwrap_or_else(|e| panic!("v1.{minor}: {e}"))
}

/// The source document as a generic YAML tree, for independent cross-checks.
fn source(minor: u16) -> serde_norway::Value {
    let text = std::fs::read_to_string(spec_path(minor)).unwrap();
    serde_norway::from_str(&text).unwrap()
}

fn op<'a>(doc: &'a OpenAPI, path: &str, method: &str) -> &'a Operation {
    let item = doc.paths.paths.get(path).and_then(ReferenceOr::as_item);
    let item = item.unwrap_or_else(|| panic!("no path {path}"));
    item.iter()
        .find(|(m, _)| *m == method)
        .map(|(_, o)| o)
        .unwrap_or_else(|| panic!("no {method} {path}"))
}

fn item<T>(r: &ReferenceOr<T>) -> &T {
    r.as_item().expect("inline item, not a $ref")
}

fn schema_of<'a>(s: &'a openapiv3::Schema, prop: &str) -> &'a ReferenceOr<Box<Schema>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => &o.properties[prop],
        SchemaKind::Any(a) => &a.properties[prop],
        other => panic!("not an object schema: {other:?}"),
    }
}

fn warnings_matching(spec: &IngestedSpec, needle: &str) -> Vec<String> {
    spec.warnings
        .iter()
        .filter(|w| w.location.contains(needle) || w.message.contains(needle))
        .map(|w| format!("{} {}", w.location, w.message))
        .collect()
}

#[test]
fn all_swagger_versions_convert_round_trip_and_resolve() {
    for minor in 25..=55 {
        let spec = ingest(minor);
        assert_eq!(spec.version, version(minor));
        let doc = &spec.openapi;
        assert_eq!(doc.info.version, format!("1.{minor}"));
        assert!(doc.openapi.starts_with("3.0."));
        assert!(
            dangling_refs(doc).is_empty(),
            "v1.{minor}: {:?}",
            dangling_refs(doc)
        );

        // Same paths, operations and definitions as the source document.
        let src = source(minor);
        let src_paths = src["paths"].as_mapping().unwrap();
        assert_eq!(doc.paths.paths.len(), src_paths.len(), "v1.{minor} paths");
        let src_ops: usize = src_paths
            .values()
            .map(|p| p.as_mapping().unwrap().len())
            .sum();
        assert_eq!(doc.operations().count(), src_ops, "v1.{minor} operations");
        let defs = src["definitions"].as_mapping().unwrap().len();
        assert_eq!(doc.components.as_ref().unwrap().schemas.len(), defs);

        // Serialises and parses back as OpenAPI, still without dangling refs.
        let json = serde_json::to_string(doc).unwrap();
        let back: OpenAPI = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("v1.{minor} does not parse back: {e}"));
        assert!(dangling_refs(&back).is_empty());
        assert_eq!(back.paths.paths.len(), doc.paths.paths.len());
        assert_eq!(back.operations().count(), src_ops);
        // No reference still points at Swagger sections.
        assert!(
            !json.contains("#/definitions/"),
            "v1.{minor} kept a #/definitions ref"
        );
    }
}

#[test]
fn volume_update_exists_from_v1_42() {
    let v42 = ingest(42);
    let put = op(&v42.openapi, "/volumes/{name}", "put");
    assert_eq!(put.operation_id.as_deref(), Some("VolumeUpdate"));
    let body = item(put.request_body.as_ref().unwrap());
    assert!(body.content.contains_key("application/json"));
    let v41 = ingest(41);
    let item41 = v41.openapi.paths.paths["/volumes/{name}"]
        .as_item()
        .unwrap();
    assert!(item41.put.is_none() && item41.get.is_some());
}

#[test]
fn container_create_has_json_body_with_container_config() {
    let spec = ingest(41);
    let create = op(&spec.openapi, "/containers/create", "post");
    let body: &RequestBody = item(create.request_body.as_ref().unwrap());
    assert!(body.required);
    assert_eq!(body.description.as_deref(), Some("Container to create"));
    // Operation-level `consumes: [application/json, application/octet-stream]`.
    let mimes: Vec<&str> = body.content.keys().map(String::as_str).collect();
    assert_eq!(mimes, ["application/json", "application/octet-stream"]);
    let schema = item(body.content["application/json"].schema.as_ref().unwrap());
    let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
        panic!("expected allOf, got {:?}", schema.schema_kind)
    };
    assert_eq!(
        all_of[0],
        ReferenceOr::ref_("#/components/schemas/ContainerConfig")
    );
    let extra = item(&all_of[1]);
    assert_eq!(
        schema_of(extra, "HostConfig"),
        &ReferenceOr::ref_("#/components/schemas/HostConfig")
    );
    // The body example survives on the schema.
    assert_eq!(
        schema.schema_data.example.as_ref().unwrap()["Image"],
        "ubuntu"
    );
    // Parameters stay parameters: `name` and `platform` (query).
    let names: Vec<&str> = create
        .parameters
        .iter()
        .map(|p| item(p).parameter_data_ref().name.as_str())
        .collect();
    assert_eq!(names, ["name", "platform"]);
}

#[test]
fn x_nullable_becomes_nullable() {
    // v1.41 SwarmInfo.RemoteManagers: `type: array`, `default: null`, `x-nullable: true`.
    let spec = ingest(41);
    let schemas = &spec.openapi.components.as_ref().unwrap().schemas;
    let swarm = item(&schemas["SwarmInfo"]);
    let managers = item(schema_of(swarm, "RemoteManagers"));
    assert!(managers.schema_data.nullable);
    assert_eq!(managers.schema_data.default, Some(serde_json::Value::Null));
    // ...while `x-nullable: false` (SwarmInfo.NodeID) stays non-nullable.
    assert!(!item(schema_of(swarm, "NodeID")).schema_data.nullable);

    // v1.47 ImageManifestSummary.ImageData: inline object with `x-nullable: true`.
    let spec = ingest(47);
    let schemas = &spec.openapi.components.as_ref().unwrap().schemas;
    let image_data = item(schema_of(
        item(&schemas["ImageManifestSummary"]),
        "ImageData",
    ));
    assert!(image_data.schema_data.nullable);
    assert_eq!(image_data.schema_data.extensions["x-omitempty"], true);
}

#[test]
fn image_export_is_a_binary_tar_response() {
    let spec = ingest(41);
    let get = op(&spec.openapi, "/images/{name}/get", "get");
    let ok = item(&get.responses.responses[&StatusCode::Code(200)]);
    let keys: Vec<&str> = ok.content.keys().map(String::as_str).collect();
    assert_eq!(keys, ["application/x-tar"]);
    let schema = item(ok.content["application/x-tar"].schema.as_ref().unwrap());
    let SchemaKind::Type(Type::String(s)) = &schema.schema_kind else {
        panic!("expected string schema")
    };
    assert_eq!(
        s.format,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
    );
    // Container export (`produces: application/octet-stream`) has no 200 body schema.
    let export = op(&spec.openapi, "/containers/{id}/export", "get");
    let ok: &Response = item(&export.responses.responses[&StatusCode::Code(200)]);
    assert!(ok.content.is_empty());
}

#[test]
fn multiple_produces_give_one_content_entry_each() {
    // v1.41 POST /swarm/init: `produces: [application/json, text/plain]`, 200 is a string.
    let src = source(41);
    let produces: Vec<String> = src["paths"]["/swarm/init"]["post"]["produces"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(produces, ["application/json", "text/plain"]);
    let spec = ingest(41);
    let init = op(&spec.openapi, "/swarm/init", "post");
    let ok = item(&init.responses.responses[&StatusCode::Code(200)]);
    let keys: Vec<String> = ok.content.keys().cloned().collect();
    assert_eq!(keys, produces);
    for media in ok.content.values() {
        let schema = item(media.schema.as_ref().unwrap());
        assert!(matches!(
            schema.schema_kind,
            SchemaKind::Type(Type::String(_))
        ));
    }
    // Without operation-level `produces`, the document's list applies (GET /containers/{id}/logs).
    let global: Vec<String> = src["produces"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let logs = op(&spec.openapi, "/containers/{id}/logs", "get");
    let ok = item(&logs.responses.responses[&StatusCode::Code(200)]);
    assert_eq!(ok.content.keys().cloned().collect::<Vec<_>>(), global);
}

#[test]
fn collection_format_maps_to_style_and_explode() {
    // v1.42 GET /system/df `type`: array, collectionFormat multi.
    let spec = ingest(42);
    let df = op(&spec.openapi, "/system/df", "get");
    let Some(Parameter::Query {
        parameter_data,
        style,
        ..
    }) = df
        .parameters
        .iter()
        .map(item)
        .find(|p| p.parameter_data_ref().name == "type")
    else {
        panic!("no query parameter `type`")
    };
    assert_eq!(*style, QueryStyle::Form);
    assert_eq!(parameter_data.explode, Some(true));
    let ParameterSchemaOrContent::Schema(s) = &parameter_data.format else {
        panic!()
    };
    assert!(matches!(
        item(s).schema_kind,
        SchemaKind::Type(Type::Array(_))
    ));

    // v1.41 GET /images/get `names`: array without collectionFormat = csv.
    let spec = ingest(41);
    let get = op(&spec.openapi, "/images/get", "get");
    let names = get
        .parameters
        .iter()
        .map(item)
        .find(|p| p.parameter_data_ref().name == "names");
    let Some(Parameter::Query {
        parameter_data,
        style,
        ..
    }) = names
    else {
        panic!()
    };
    assert_eq!(*style, QueryStyle::Form);
    assert_eq!(parameter_data.explode, Some(false));
}

#[test]
fn upstream_defects_are_reported_as_warnings() {
    for minor in 25..=55 {
        let spec = ingest(minor);
        let type_lists = warnings_matching(&spec, "type is a list");
        let undefined = warnings_matching(&spec, "not a defined property");
        if minor <= 34 {
            // Cmd and Entrypoint of Config (≤1.29) / ContainerConfig (1.30–1.34).
            assert_eq!(type_lists.len(), 2, "v1.{minor}: {type_lists:?}");
            let def = if minor <= 29 {
                "/definitions/Config/"
            } else {
                "/definitions/ContainerConfig/"
            };
            assert!(
                type_lists.iter().all(|w| w.starts_with(def)),
                "{type_lists:?}"
            );
        } else {
            assert!(type_lists.is_empty(), "v1.{minor}: {type_lists:?}");
        }
        if minor >= 47 {
            assert_eq!(
                undefined,
                vec![
                    "/definitions/ImageManifestSummary/properties/ImageData/required required names \"UnpackedSize\", which is not a defined property; dropped from required"
                        .to_string()
                ]
            );
        } else {
            assert!(undefined.is_empty(), "v1.{minor}: {undefined:?}");
        }
        assert!(spec
            .warnings
            .iter()
            .all(|w| w.file == format!("v1.{minor}.yaml")));
    }
    // The list of types became oneOf [array of string, string].
    let spec = ingest(25);
    let config = item(&spec.openapi.components.as_ref().unwrap().schemas["Config"]);
    let cmd = item(schema_of(config, "Cmd"));
    let SchemaKind::OneOf { one_of } = &cmd.schema_kind else {
        panic!("{cmd:?}")
    };
    assert!(matches!(
        item(&one_of[0]).schema_kind,
        SchemaKind::Type(Type::Array(_))
    ));
    assert!(matches!(
        item(&one_of[1]).schema_kind,
        SchemaKind::Type(Type::String(_))
    ));
    // The undefined name is gone from `required`.
    let spec = ingest(47);
    let schemas = &spec.openapi.components.as_ref().unwrap().schemas;
    let image_data = item(schema_of(
        item(&schemas["ImageManifestSummary"]),
        "ImageData",
    ));
    let SchemaKind::Type(Type::Object(o)) = &image_data.schema_kind else {
        panic!()
    };
    assert_eq!(o.required, ["Platform", "Containers", "Size"]);
}

#[test]
fn json_error_examples_on_non_json_operations_add_the_json_media_type() {
    // v1.41 GET /containers/{id}/export produces only application/octet-stream, but
    // its 404 response has an `application/json` example (the error body is JSON).
    let spec = ingest(41);
    let export = op(&spec.openapi, "/containers/{id}/export", "get");
    let not_found = item(&export.responses.responses[&StatusCode::Code(404)]);
    let keys: Vec<&str> = not_found.content.keys().map(String::as_str).collect();
    assert_eq!(keys, ["application/octet-stream", "application/json"]);
    assert!(not_found.content["application/json"].example.is_some());
    let w = warnings_matching(&spec, "/paths/~1containers~1{id}~1export/get/responses/404");
    assert_eq!(w.len(), 1, "{w:?}");
}

// ---- Synthetic documents (not corpus excerpts) -------------------------------

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn ingest_bytes(name: &str, bytes: &[u8], minor: u16) -> Result<IngestedSpec, IngestError> {
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(&dir, name, bytes);
    ingest_file(&path, SpecFormat::Swagger, version(minor))
}

const MINIMAL: &str = r##"swagger: "2.0"
info:
  title: "t"
  version: "VERSION"
consumes: ["application/json"]
produces: ["application/json"]
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, type: string}
      - {name: verbose, in: query, type: boolean}
    get:
      parameters:
        - {name: verbose, in: query, type: integer}
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: pipes}
      responses:
        200:
          description: ok
          schema: {$ref: "#/definitions/REF"}
    post:
      consumes: ["multipart/form-data"]
      parameters:
        - {name: upload, in: formData, type: file, required: true}
        - {name: note, in: formData, type: string}
      responses:
        204: {description: done}
definitions:
  Thing:
    type: object
    properties:
      id: {type: string}
"##;

fn minimal(version_text: &str, reference: &str) -> String {
    MINIMAL
        .replace("VERSION", version_text)
        .replace("REF", reference)
}

#[test]
fn path_level_parameters_and_form_data() {
    let spec = ingest_bytes("v1.30.yaml", minimal("v1.30", "Thing").as_bytes(), 30).unwrap();
    let doc = &spec.openapi;
    let get = op(doc, "/things/{id}", "get");
    let params: Vec<(&str, &Parameter)> = get
        .parameters
        .iter()
        .map(|p| (item(p).parameter_data_ref().name.as_str(), item(p)))
        .collect();
    // Path-level `id` kept, path-level `verbose` overridden by the operation's.
    assert_eq!(
        params.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        ["id", "verbose", "tags"]
    );
    let ParameterSchemaOrContent::Schema(s) = &params[1].1.parameter_data_ref().format else {
        panic!()
    };
    assert!(matches!(
        item(s).schema_kind,
        SchemaKind::Type(Type::Integer(_))
    ));
    let Parameter::Query { style, .. } = params[2].1 else {
        panic!()
    };
    assert_eq!(*style, QueryStyle::PipeDelimited);

    let post = op(doc, "/things/{id}", "post");
    assert_eq!(item(&post.parameters[0]).parameter_data_ref().name, "id");
    let body = item(post.request_body.as_ref().unwrap());
    assert!(body.required);
    let form = item(body.content["multipart/form-data"].schema.as_ref().unwrap());
    let SchemaKind::Type(Type::Object(o)) = &form.schema_kind else {
        panic!()
    };
    assert_eq!(o.required, ["upload"]);
    let upload = item(&o.properties["upload"]);
    let SchemaKind::Type(Type::String(st)) = &upload.schema_kind else {
        panic!()
    };
    assert_eq!(
        st.format,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
    );
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
}

fn assert_names_file(err: &IngestError, name: &str) {
    assert!(
        err.to_string().contains(name),
        "message does not name {name}: {err}"
    );
}

#[test]
fn version_prefix_v_is_accepted_and_mismatch_is_rejected() {
    assert!(ingest_bytes("v1.30.yaml", minimal("v1.30", "Thing").as_bytes(), 30).is_ok());
    let err = ingest_bytes("v1.30.yaml", minimal("1.31", "Thing").as_bytes(), 30).unwrap_err();
    assert!(
        matches!(&err, IngestError::VersionMismatch { found, expected, .. } if found == "1.31" && expected == "1.30"),
        "{err}"
    );
    assert_names_file(&err, "v1.30.yaml");
    // The real v1.41 document is not v1.42.
    let bytes = std::fs::read(spec_path(41)).unwrap();
    let err = ingest_text(
        Path::new("v1.41.yaml"),
        SpecFormat::Swagger,
        version(42),
        &bytes,
    )
    .unwrap_err();
    assert!(matches!(err, IngestError::VersionMismatch { .. }), "{err}");
}

#[test]
fn dangling_ref_is_rejected() {
    let err = ingest_bytes("v1.30.yaml", minimal("1.30", "Missing").as_bytes(), 30).unwrap_err();
    match &err {
        IngestError::DanglingRef {
            pointer, reference, ..
        } => {
            assert_eq!(reference, "#/components/schemas/Missing");
            assert_eq!(
                pointer,
                "/paths/~1things~1{id}/get/responses/200/content/application~1json/schema"
            );
        }
        other => panic!("expected DanglingRef, got {other}"),
    }
    assert_names_file(&err, "v1.30.yaml");
}

#[test]
fn truncated_real_document_is_a_syntax_error() {
    let text = std::fs::read_to_string(spec_path(41)).unwrap();
    // Cut inside the double-quoted title: an unterminated string.
    let cut = text.find("\"Docker Engine API\"").unwrap() + 5;
    let err = ingest_bytes("v1.41.yaml", &text.as_bytes()[..cut], 41).unwrap_err();
    let IngestError::Syntax { line, .. } = &err else {
        panic!("expected Syntax, got {err}")
    };
    let title_line = text[..cut].lines().count();
    assert!(
        *line >= title_line,
        "line {line} before the title at {title_line}"
    );
    assert_names_file(&err, "v1.41.yaml");
}

#[test]
fn malformed_yaml_reports_its_line() {
    let text = "swagger: \"2.0\"\ninfo:\n  title: a: b\n  version: \"1.30\"\npaths: {}\n";
    let err = ingest_bytes("bad.yaml", text.as_bytes(), 30).unwrap_err();
    let IngestError::Syntax { line, column, .. } = &err else {
        panic!("expected Syntax, got {err}")
    };
    assert_eq!(*line, 3);
    assert!(*column > 0);
    assert!(err.to_string().contains("bad.yaml:3:"), "{err}");
}

#[test]
fn binary_garbage_is_rejected() {
    let garbage: Vec<u8> = (0..=255u8).cycle().skip(128).take(600).collect();
    let err = ingest_bytes("v1.30.yaml", &garbage, 30).unwrap_err();
    assert!(matches!(err, IngestError::NotText { .. }), "{err}");
    assert_names_file(&err, "v1.30.yaml");
    // Valid UTF-8 but control characters: a YAML error, not a panic.
    let err = ingest_bytes("v1.30.yaml", b"\x01\x02\x03 swagger\x00: 2", 30).unwrap_err();
    assert!(matches!(err, IngestError::Syntax { .. }), "{err}");
    assert_names_file(&err, "v1.30.yaml");
}

#[test]
fn documents_that_are_not_swagger_2_are_rejected_with_a_pointer() {
    let cases: [(&str, &str); 4] = [
        ("openapi: 3.0.3\ninfo: {title: t, version: '1.30'}\npaths: {}\n", "/openapi"),
        ("swagger: \"3.0\"\ninfo: {title: t, version: '1.30'}\npaths: {}\n", "/swagger"),
        ("name: not an api\nitems: [1, 2]\n", "/swagger"),
        (
            "swagger: '2.0'\ninfo: {title: t, version: '1.30'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: x, type: string}\n      responses: {200: {description: ok}}\n",
            "/paths/~1a/get/parameters/0",
        ),
    ];
    for (text, expected_pointer) in cases {
        let err = ingest_bytes("v1.30.yaml", text.as_bytes(), 30).unwrap_err();
        match &err {
            IngestError::Invalid { pointer, .. } => assert_eq!(pointer, expected_pointer, "{err}"),
            other => panic!("expected Invalid for {text:?}, got {other}"),
        }
        assert_names_file(&err, "v1.30.yaml");
    }
    // A wrongly shaped value is located by line and names the key path.
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1.30'}\npaths:\n  - /a\n";
    let err = ingest_bytes("v1.30.yaml", text.as_bytes(), 30).unwrap_err();
    let IngestError::Syntax { line, message, .. } = &err else {
        panic!("expected Syntax, got {err}")
    };
    assert_eq!(*line, 4, "{err}");
    assert!(message.contains("paths"), "{err}");
    // A scalar document.
    let err = ingest_bytes("v1.30.yaml", b"just a string\n", 30).unwrap_err();
    assert!(matches!(err, IngestError::Syntax { .. }), "{err}");
    assert_names_file(&err, "v1.30.yaml");
}

#[test]
fn empty_file_is_rejected() {
    let err = ingest_bytes("v1.30.yaml", b"   \n", 30).unwrap_err();
    assert!(matches!(err, IngestError::Empty { .. }), "{err}");
}
