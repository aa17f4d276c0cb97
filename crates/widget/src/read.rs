//! Reads the host's plain objects (mount options, `identify`, `prefill`, a signed customer
//! context) field by field with the browser's own type checks, and writes the ones the widget
//! gives back (`hostState`, events' details) the same way.
//!
//! The widget's first module is what a visitor waits for: a serde deserializer over `JsValue`
//! would bring its own code and, through serde's wording of a wrong type ("floating point `1.5`"),
//! Rust's float formatting (about 20 KB of code). These objects are flat and small, so each is
//! read by name: a missing or `null` optional field is `None`, a field of the wrong type or a key
//! the object may not have is an error naming it, as serde would refuse it.

use std::collections::BTreeMap;

use wasm_bindgen::{JsCast, JsValue};

/// A host-supplied object, its keys checked against the ones it may have.
pub(crate) struct Fields {
    object: js_sys::Object,
}

/// What a value should have been, for the error.
fn kind(value: &JsValue) -> &'static str {
    if value.is_string() {
        "a string"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if js_sys::Array::is_array(value) {
        "an array"
    } else if value.is_function() {
        "a function"
    } else if value.is_object() {
        "an object"
    } else {
        "another kind of value"
    }
}

impl Fields {
    /// `value` as an object whose keys are all `known`; `null` and `undefined` read as empty.
    pub fn of(value: &JsValue, known: &[&str]) -> Result<Self, String> {
        if value.is_undefined() || value.is_null() {
            return Ok(Self {
                object: js_sys::Object::new(),
            });
        }
        if !value.is_object() || js_sys::Array::is_array(value) || value.is_function() {
            return Err(format!("expected an object, found {}", kind(value)));
        }
        let object: js_sys::Object = value.clone().unchecked_into();
        for key in js_sys::Object::keys(&object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                return Err(format!(
                    "unknown field \"{key}\", expected one of {}",
                    known.join(", ")
                ));
            }
        }
        Ok(Self { object })
    }

    /// The field's value; `None` when it is missing, `undefined` or `null`.
    fn get(&self, key: &str) -> Option<JsValue> {
        js_sys::Reflect::get(&self.object, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    /// A string field. (These readers are called once per field: kept out of line, they are
    /// one copy in the module rather than one per field.)
    #[inline(never)]
    pub fn text(&self, key: &str) -> Result<Option<String>, String> {
        self.get(key)
            .map(|v| {
                v.as_string()
                    .ok_or_else(|| format!("{key} must be a string, not {}", kind(&v)))
            })
            .transpose()
    }

    /// A string field that must be there.
    #[inline(never)]
    pub fn required_text(&self, key: &str) -> Result<String, String> {
        self.text(key)?
            .ok_or_else(|| format!("missing field \"{key}\""))
    }

    /// A number field.
    #[inline(never)]
    pub fn number(&self, key: &str) -> Result<Option<f64>, String> {
        self.get(key)
            .map(|v| {
                v.as_f64()
                    .ok_or_else(|| format!("{key} must be a number, not {}", kind(&v)))
            })
            .transpose()
    }

    /// An array of strings; missing reads as empty.
    #[inline(never)]
    pub fn texts(&self, key: &str) -> Result<Vec<String>, String> {
        let Some(v) = self.get(key) else {
            return Ok(Vec::new());
        };
        let not = || format!("{key} must be an array of strings, not {}", kind(&v));
        if !js_sys::Array::is_array(&v) {
            return Err(not());
        }
        v.unchecked_ref::<js_sys::Array>()
            .iter()
            .map(|item| item.as_string().ok_or_else(not))
            .collect()
    }

    /// An object whose values are strings, by key; missing reads as empty.
    pub fn text_map(&self, key: &str) -> Result<BTreeMap<String, String>, String> {
        let Some(v) = self.get(key) else {
            return Ok(BTreeMap::new());
        };
        if !v.is_object() || js_sys::Array::is_array(&v) || v.is_function() {
            return Err(format!(
                "{key} must be an object of strings, not {}",
                kind(&v)
            ));
        }
        // Inserted one by one: collecting would sort with code of its own.
        let mut map = BTreeMap::new();
        for pair in js_sys::Object::entries(v.unchecked_ref()).iter() {
            let pair: js_sys::Array = pair.unchecked_into();
            let name = pair.get(0).as_string().unwrap_or_default();
            let value = pair.get(1);
            let Some(text) = value.as_string() else {
                return Err(format!(
                    "{key}.{name} must be a string, not {}",
                    kind(&value)
                ));
            };
            map.insert(name, text);
        }
        Ok(map)
    }

    /// A nested object field.
    pub fn object(&self, key: &str, known: &[&str]) -> Result<Option<Fields>, String> {
        self.get(key)
            .map(|v| Fields::of(&v, known).map_err(|e| format!("{key}: {e}")))
            .transpose()
    }
}

/// A plain object of `pairs`, in order.
pub(crate) fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// The text, or `null`.
pub(crate) fn text_or_null(text: Option<&str>) -> JsValue {
    text.map_or(JsValue::NULL, JsValue::from_str)
}
