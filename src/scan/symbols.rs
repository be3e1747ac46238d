//! What a consumer's package declares that the scan needs: the name it
//! imports the client package under (per file), its string constants, the
//! struct fields and function results typed as the client.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use dockmatrix_go::{descendants, named_children, GoFile, Located, Node};

/// Symbols of every file, keyed by package directory where they are shared.
#[derive(Debug, Default)]
pub struct Symbols {
    /// Per file path: the local name of the client package, if imported.
    pub alias: HashMap<String, String>,
    /// Per package dir: string constants (name → value and place).
    pub consts: HashMap<String, BTreeMap<String, (String, Located)>>,
    /// Per package dir: `(struct, field)` pairs whose type is the client.
    pub client_fields: HashMap<String, BTreeSet<(String, String)>>,
    /// Per package dir: every field name of any struct with the structs declaring it.
    pub field_owners: HashMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// Per package dir: functions whose first result is the client.
    pub client_funcs: HashMap<String, BTreeSet<String>>,
}

impl Symbols {
    /// Reads the symbols of the files for the client package `package`.
    pub fn read(files: &[GoFile], package: &str) -> Self {
        let mut s = Self::default();
        for f in files {
            if let Some(alias) = import_alias(f, package) {
                s.alias.insert(f.path.clone(), alias);
            }
        }
        for f in files {
            let alias = s.alias.get(&f.path).cloned();
            for node in named_children(f.tree.root_node()) {
                match node.kind() {
                    "const_declaration" | "var_declaration" => {
                        for spec in descendants(node) {
                            if spec.kind() == "const_spec" || spec.kind() == "var_spec" {
                                s.read_const(f, spec);
                            }
                        }
                    }
                    "type_declaration" => {
                        for spec in named_children(node) {
                            if spec.kind() == "type_spec" {
                                s.read_struct(f, spec, alias.as_deref());
                            }
                        }
                    }
                    "function_declaration" => {
                        let result = node.child_by_field_name("result");
                        let name = node.child_by_field_name("name");
                        if let (Some(result), Some(name), Some(alias)) = (result, name, &alias) {
                            let first = if result.kind() == "parameter_list" {
                                named_children(result)
                                    .first()
                                    .and_then(|p| p.child_by_field_name("type"))
                            } else {
                                Some(result)
                            };
                            if first.is_some_and(|t| is_client_type(f.text(t), alias)) {
                                s.client_funcs
                                    .entry(f.dir.clone())
                                    .or_default()
                                    .insert(f.text(name).to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        s
    }

    fn read_const(&mut self, f: &GoFile, spec: Node<'_>) {
        let Some(value) = spec.child_by_field_name("value") else {
            return;
        };
        let values = named_children(value);
        let mut cursor = spec.walk();
        let names: Vec<Node<'_>> = spec.children_by_field_name("name", &mut cursor).collect();
        for (name, value) in names.iter().zip(values) {
            if let Some(text) = f.string(value) {
                self.consts
                    .entry(f.dir.clone())
                    .or_default()
                    .insert(f.text(*name).to_string(), (text, f.at(*name)));
            }
        }
    }

    fn read_struct(&mut self, f: &GoFile, spec: Node<'_>, alias: Option<&str>) {
        let (Some(name), Some(ty)) = (
            spec.child_by_field_name("name"),
            spec.child_by_field_name("type"),
        ) else {
            return;
        };
        if ty.kind() != "struct_type" {
            return;
        }
        let owner = f.text(name).to_string();
        for field in descendants(ty) {
            if field.kind() != "field_declaration" {
                continue;
            }
            let Some(field_type) = field.child_by_field_name("type") else {
                continue;
            };
            let mut cursor = field.walk();
            let names: Vec<String> = field
                .children_by_field_name("name", &mut cursor)
                .map(|n| f.text(n).to_string())
                .collect();
            let type_text = f.text(field_type);
            // An embedded field is named by its type's last segment.
            let names = if names.is_empty() {
                vec![type_text
                    .rsplit(['.', '*'])
                    .next()
                    .unwrap_or_default()
                    .to_string()]
            } else {
                names
            };
            for n in names {
                self.field_owners
                    .entry(f.dir.clone())
                    .or_default()
                    .entry(n.clone())
                    .or_default()
                    .insert(owner.clone());
                if alias.is_some_and(|a| is_client_type(type_text, a)) {
                    self.client_fields
                        .entry(f.dir.clone())
                        .or_default()
                        .insert((owner.clone(), n));
                }
            }
        }
    }

    /// A string constant of the package, by name.
    pub fn constant(&self, dir: &str, name: &str) -> Option<&(String, Located)> {
        self.consts.get(dir)?.get(name)
    }
}

/// Whether a Go type (as written) is the client: `*alias.Client`,
/// `alias.APIClient`, `alias.CommonAPIClient`, `alias.ContainerAPIClient`, ….
pub fn is_client_type(type_text: &str, alias: &str) -> bool {
    type_text
        .trim_start_matches('*')
        .strip_prefix(alias)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|name| name.ends_with("Client"))
}

/// The local name a file imports `package` under (its last segment when unnamed).
fn import_alias(f: &GoFile, package: &str) -> Option<String> {
    let imports = named_children(f.tree.root_node())
        .into_iter()
        .filter(|n| n.kind() == "import_declaration")
        .flat_map(descendants);
    for node in imports {
        if node.kind() != "import_spec" {
            continue;
        }
        let path = node.child_by_field_name("path").and_then(|p| f.string(p));
        if path.as_deref() != Some(package) {
            continue;
        }
        return Some(match node.child_by_field_name("name") {
            Some(name) => f.text(name).to_string(),
            None => package.rsplit('/').next().unwrap_or(package).to_string(),
        });
    }
    None
}
