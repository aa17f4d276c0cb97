//! `docs/openapi.yaml`, read with a YAML parser, and a checker of answers against it: each
//! answer's status must be documented for its operation, and its JSON body must have the
//! documented required fields, types, enumerated values and date-times (`$ref`, `allOf`,
//! `anyOf`/`oneOf`, `additionalProperties` followed).

use serde_json::Value;

pub struct Spec {
    doc: Value,
}

impl Spec {
    /// Reads and checks the document: OpenAPI 3.1, and every `$ref` resolves.
    pub fn load() -> Spec {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let doc: Value = serde_yaml_ng::from_str(&text).unwrap();
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1."),
            "not OpenAPI 3.1"
        );
        let spec = Spec { doc };
        let mut refs = Vec::new();
        collect_refs(&spec.doc, &mut refs);
        assert!(!refs.is_empty());
        for r in refs {
            assert!(spec.resolve(&r).is_some(), "unresolved $ref {r}");
        }
        spec
    }

    fn resolve(&self, r: &str) -> Option<&Value> {
        let mut v = &self.doc;
        for part in r.strip_prefix("#/")?.split('/') {
            v = v.get(part.replace("~1", "/").replace("~0", "~"))?;
        }
        Some(v)
    }

    fn deref<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        while let Some(r) = v.get("$ref").and_then(Value::as_str) {
            v = self.resolve(r).unwrap();
        }
        v
    }

    /// The operations the document lists under paths starting with `prefix`.
    pub fn operations(&self, prefix: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (path, item) in self.doc["paths"].as_object().unwrap() {
            if !path.starts_with(prefix) {
                continue;
            }
            for m in ["get", "post", "put", "patch", "delete"] {
                if item.get(m).is_some() {
                    out.push((m.to_uppercase(), path.clone()));
                }
            }
        }
        out
    }

    /// Panics unless `status` is documented for `method template` and `body` fits its schema.
    pub fn check(&self, method: &str, template: &str, status: u16, body: &Value) {
        let op = &self.doc["paths"][template][method.to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not documented");
        let res = op["responses"]
            .get(status.to_string())
            .unwrap_or_else(|| panic!("{method} {template} answered {status}, not documented"));
        let res = self.deref(res);
        match res.get("content") {
            None => assert!(
                body.is_null(),
                "{method} {template} {status} documents no body but sent {body}"
            ),
            Some(c) => {
                let schema = &c["application/json"]["schema"];
                let mut errors = Vec::new();
                self.validate(schema, body, "$", &mut errors);
                assert!(
                    errors.is_empty(),
                    "{method} {template} {status} does not fit the document: {errors:#?}\n{body:#}"
                );
            }
        }
    }

    /// Panics unless `v` fits the component schema `name`.
    pub fn check_schema(&self, name: &str, v: &Value) {
        let schema = &self.doc["components"]["schemas"][name];
        assert!(schema.is_object(), "no schema {name}");
        let mut errors = Vec::new();
        self.validate(schema, v, "$", &mut errors);
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{v:#}");
    }

    fn validate(&self, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = self.deref(schema);
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.validate(s, v, at, errors);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(any) = schema.get(key).and_then(Value::as_array) {
                let fits = any.iter().any(|s| {
                    let mut e = Vec::new();
                    self.validate(s, v, at, &mut e);
                    e.is_empty()
                });
                if !fits {
                    errors.push(format!("{at}: fits none of {key}"));
                }
            }
        }
        if let Some(t) = schema.get("type") {
            let types: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            let fits = types.iter().any(|t| match *t {
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                "object" => v.is_object(),
                "array" => v.is_array(),
                "null" => v.is_null(),
                _ => false,
            });
            if !fits {
                errors.push(format!("{at}: {v} is not of type {types:?}"));
                return;
            }
        }
        if let Some(e) = schema.get("enum").and_then(Value::as_array)
            && !e.contains(v)
        {
            errors.push(format!("{at}: {v} is not one of {e:?}"));
        }
        if let (Some("date-time"), Some(s)) =
            (schema.get("format").and_then(Value::as_str), v.as_str())
            && chrono::DateTime::parse_from_rfc3339(s).is_err()
        {
            errors.push(format!("{at}: {s:?} is not a date-time"));
        }
        if let Some(obj) = v.as_object() {
            for r in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let r = r.as_str().unwrap();
                if !obj.contains_key(r) {
                    errors.push(format!("{at}: lacks required {r}"));
                }
            }
            let props = schema.get("properties").and_then(Value::as_object);
            for (k, x) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(s) => self.validate(s, x, &format!("{at}.{k}"), errors),
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            errors.push(format!("{at}: has undocumented {k}"));
                        }
                        Some(s @ Value::Object(_)) => {
                            self.validate(s, x, &format!("{at}.{k}"), errors);
                        }
                        _ => {}
                    },
                }
            }
        }
        if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
            for (i, x) in arr.iter().enumerate() {
                self.validate(items, x, &format!("{at}[{i}]"), errors);
            }
        }
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k == "$ref"
                    && let Some(s) = x.as_str()
                {
                    out.push(s.to_owned());
                } else {
                    collect_refs(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}
