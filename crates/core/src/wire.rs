//! Tagged enums read without serde's buffering.
//!
//! serde reads an internally tagged enum (`{"type": "message_posted", …fields}`) or an adjacently
//! tagged one (`{"kind": "agent", "id": …}`) by first buffering the whole map in its generic
//! `Content` tree, because the tag may come last; every type inside such an enum is then compiled a
//! second time to be read from that tree. That is the costliest form serde has, and the events,
//! settings sections and workspace changes the browser reads are all tagged enums.
//!
//! [`tagged!`](crate::tagged) declares such an enum once: writing stays serde's derive (the same
//! JSON, byte for byte), and reading takes the tag from the first key and hands the rest of the
//! map to the variant directly. When the tag is not the first key (PostgreSQL's `jsonb` orders
//! keys by length; another writer may put it anywhere) the map is read into `serde_json::Value`s,
//! written back with the tag first and read again: slower, same result.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny,
    IntoDeserializer, MapAccess, VariantAccess, Visitor,
};
use serde_json::Value;

/// Declares an enum tagged like `#[serde(tag = …)]` (and `content = …` for adjacent tagging), with
/// `rename_all = "snake_case"`: serde derives its `Serialize`; its `Deserialize` reads the tag
/// first (see the module's documentation). The body is written once and serde derives an
/// externally tagged twin of it, under `remote`, that builds the enum itself.
#[macro_export]
macro_rules! tagged {
    (
        #[tag = $tag:literal $(, content = $content:literal)?]
        $(#[$attr:meta])*
        $vis:vis enum $name:ident { $($body:tt)* }
    ) => {
        $(#[$attr])*
        #[derive(serde::Serialize)]
        #[serde(tag = $tag, $(content = $content,)? rename_all = "snake_case")]
        $vis enum $name { $($body)* }

        const _: () = {
            type Tagged = $name;

            #[derive(serde::Deserialize)]
            #[serde(remote = "Tagged", rename_all = "snake_case")]
            #[allow(dead_code)]
            enum Twin { $($body)* }

            impl $crate::wire::External for $name {
                fn from_external<'de, D: serde::Deserializer<'de>>(
                    d: D,
                ) -> Result<Self, D::Error> {
                    Twin::deserialize(d)
                }
            }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    $crate::wire::tagged(d, $tag, $crate::tagged!(@content $($content)?))
                }
            }
        };
    };
    (@content) => { None };
    (@content $content:literal) => { Some($content) };
}

/// An enum read in its externally tagged form (`{"variant": …}`), which serde reads without
/// buffering. Implemented by [`tagged!`](crate::tagged).
#[doc(hidden)]
pub trait External: Sized {
    fn from_external<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Reads `T` tagged by the field `tag`; with `content`, the variant's value is under that field
/// (adjacent tagging), else the variant's fields sit beside the tag (internal tagging).
#[doc(hidden)]
pub fn tagged<'de, D, T>(
    d: D,
    tag: &'static str,
    content: Option<&'static str>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: External + DeserializeOwned,
{
    d.deserialize_map(TaggedVisitor {
        tag,
        content,
        out: PhantomData,
    })
}

struct TaggedVisitor<T> {
    tag: &'static str,
    content: Option<&'static str>,
    out: PhantomData<T>,
}

impl<'de, T: External + DeserializeOwned> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a map with a `{}` field", self.tag)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Err(de::Error::missing_field(self.tag));
        };
        if first == self.tag {
            let variant: String = map.next_value()?;
            return T::from_external(Variant {
                variant,
                tag: self.tag,
                content: self.content,
                map,
            });
        }
        // The tag comes later: keep the entries in order, put the tag first, read again.
        let mut entries = vec![(first, map.next_value::<Value>()?)];
        while let Some(key) = map.next_key::<String>()? {
            entries.push((key, map.next_value::<Value>()?));
        }
        let text = tag_first(entries, self.tag).map_err(de::Error::custom)?;
        serde_json::from_str(&text).map_err(de::Error::custom)
    }
}

/// The map as JSON text with the `tag` entry first and the others in their order. Not generic,
/// so one copy serves every enum.
fn tag_first(mut entries: Vec<(String, Value)>, tag: &'static str) -> Result<String, String> {
    let mut tags = entries.iter().filter(|(k, _)| k == tag);
    if tags.next().is_none() {
        return Err(format!("missing field `{tag}`"));
    }
    if tags.next().is_some() {
        return Err(format!("duplicate field `{tag}`"));
    }
    entries.sort_by_key(|(k, _)| k != tag);
    let mut text = String::from("{");
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        // Writing a `String` or a `Value` as JSON does not fail.
        text.push_str(&serde_json::to_string(key).map_err(|e| e.to_string())?);
        text.push(':');
        text.push_str(&serde_json::to_string(value).map_err(|e| e.to_string())?);
    }
    text.push('}');
    Ok(text)
}

/// The tag read, the rest of the map still to read: what the externally tagged reader sees as
/// its enum.
struct Variant<A> {
    variant: String,
    tag: &'static str,
    content: Option<&'static str>,
    map: A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Variant<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for Variant<A> {
    type Error = A::Error;
    type Variant = Rest<A>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Rest<A>), A::Error> {
        let name: StringDeserializer<A::Error> = self.variant.into_deserializer();
        let value = seed.deserialize(name)?;
        Ok((
            value,
            Rest {
                tag: self.tag,
                content: self.content,
                map: self.map,
            },
        ))
    }
}

/// The map after its tag.
struct Rest<A> {
    tag: &'static str,
    content: Option<&'static str>,
    map: A,
}

impl<'de, A: MapAccess<'de>> Rest<A> {
    /// Adjacent tagging: moves to the content field, skipping unknown ones. `false` at the end of
    /// the map.
    fn seek_content(&mut self, content: &'static str) -> Result<bool, A::Error> {
        while let Some(key) = self.map.next_key::<String>()? {
            if key == content {
                return Ok(true);
            }
            if key == self.tag {
                return Err(de::Error::duplicate_field(self.tag));
            }
            self.map.next_value::<IgnoredAny>()?;
        }
        Ok(false)
    }

    /// Reads (and ignores) what is left of the map.
    fn finish(mut self) -> Result<(), A::Error> {
        while self.map.next_key::<IgnoredAny>()?.is_some() {
            self.map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Rest<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        if let Some(content) = self.content
            && self.seek_content(content)?
        {
            self.map.next_value::<()>()?;
        }
        self.finish()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        mut self,
        seed: T,
    ) -> Result<T::Value, A::Error> {
        let Some(content) = self.content else {
            // Internal tagging: the newtype's own fields are the rest of the map.
            return seed.deserialize(MapAccessDeserializer::new(self.map));
        };
        let value = if self.seek_content(content)? {
            self.map.next_value_seed(seed)?
        } else {
            // No content: an `Option` is `None`, anything else is missing (as serde does).
            seed.deserialize(Missing::<A::Error> {
                field: content,
                error: PhantomData,
            })?
        };
        self.finish()?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::TupleVariant,
            &"a unit, newtype or struct variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        mut self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let Some(content) = self.content else {
            // Internal tagging: the variant's fields are the rest of the map.
            return visitor.visit_map(self.map);
        };
        if !self.seek_content(content)? {
            return Err(de::Error::missing_field(content));
        }
        let value = self.map.next_value_seed(StructSeed { fields, visitor })?;
        self.finish()?;
        Ok(value)
    }
}

/// Reads a struct variant's value (adjacent tagging).
struct StructSeed<V> {
    fields: &'static [&'static str],
    visitor: V,
}

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for StructSeed<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_struct("", self.fields, self.visitor)
    }
}

/// A content field that is not there: `None` for an `Option`, else an error.
struct Missing<E> {
    field: &'static str,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.field))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    crate::tagged! {
        #[tag = "type"]
        #[derive(Debug, Clone, PartialEq)]
        enum Inner {
            Unit,
            Fields {
                a: u32,
                #[serde(default)]
                b: Option<String>,
            },
            Wrapped(Point),
        }
    }

    crate::tagged! {
        #[tag = "kind", content = "value"]
        #[derive(Debug, Clone, PartialEq)]
        enum Adjacent {
            Unit,
            Text(String),
            Maybe(Option<String>),
            Number(f64),
            Fields { x: i64, inner: Inner },
        }
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Point {
        x: i32,
        y: i32,
    }

    // serde's own forms of the same enums: what the JSON has always been.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum SerdeInner {
        Unit,
        Fields {
            a: u32,
            #[serde(default)]
            b: Option<String>,
        },
        Wrapped(Point),
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "kind", content = "value", rename_all = "snake_case")]
    enum SerdeAdjacent {
        Unit,
        Text(String),
        Maybe(Option<String>),
        Number(f64),
        Fields { x: i64, inner: SerdeInner },
    }

    /// Reads `text` both ways and checks they agree (the same value written the same way, or
    /// both refused).
    fn agree<T, S>(text: &str) -> Option<T>
    where
        T: serde::de::DeserializeOwned + Serialize,
        S: serde::de::DeserializeOwned + Serialize,
    {
        let ours = serde_json::from_str::<T>(text);
        let theirs = serde_json::from_str::<S>(text);
        match (&ours, &theirs) {
            (Ok(o), Ok(t)) => assert_eq!(
                serde_json::to_string(o).unwrap(),
                serde_json::to_string(t).unwrap(),
                "{text}"
            ),
            (Err(_), Err(_)) => {}
            _ => panic!(
                "{text}: ours {:?}, serde's {:?}",
                ours.as_ref().err(),
                theirs.as_ref().err()
            ),
        }
        ours.ok()
    }

    #[test]
    fn writes_what_serde_writes() {
        let pairs = [
            (
                serde_json::to_string(&Inner::Unit).unwrap(),
                serde_json::to_string(&SerdeInner::Unit).unwrap(),
            ),
            (
                serde_json::to_string(&Inner::Fields { a: 1, b: None }).unwrap(),
                serde_json::to_string(&SerdeInner::Fields { a: 1, b: None }).unwrap(),
            ),
            (
                serde_json::to_string(&Adjacent::Fields {
                    x: -3,
                    inner: Inner::Wrapped(Point { x: 1, y: 2 }),
                })
                .unwrap(),
                serde_json::to_string(&SerdeAdjacent::Fields {
                    x: -3,
                    inner: SerdeInner::Wrapped(Point { x: 1, y: 2 }),
                })
                .unwrap(),
            ),
        ];
        for (ours, theirs) in pairs {
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn reads_the_tag_wherever_it_is() {
        for text in [
            r#"{"type":"fields","a":1,"b":"x"}"#,
            r#"{"a":1,"type":"fields","b":"x"}"#,
            r#"{"b":"x","a":1,"type":"fields"}"#,
            r#"{"type":"fields","a":1}"#,
            r#"{"a":1,"type":"fields"}"#,
            r#"{"type":"unit"}"#,
            r#"{"type":"unit","extra":[1,{"type":"no"}]}"#,
            r#"{"extra":true,"type":"unit"}"#,
            r#"{"type":"wrapped","x":1,"y":2}"#,
            r#"{"y":2,"type":"wrapped","x":1}"#,
            r#"{"type":"fields","a":1,"unknown":{"deep":[1,2.5,"s",null]}}"#,
        ] {
            assert!(agree::<Inner, SerdeInner>(text).is_some(), "{text}");
        }
        for text in [
            r#"{"kind":"unit"}"#,
            r#"{"kind":"unit","value":null}"#,
            r#"{"kind":"text","value":"é\"\\"}"#,
            r#"{"value":"t","kind":"text"}"#,
            r#"{"kind":"maybe","value":null}"#,
            r#"{"kind":"maybe"}"#,
            r#"{"kind":"maybe","value":"m"}"#,
            r#"{"kind":"number","value":0.1}"#,
            r#"{"value":1e300,"kind":"number"}"#,
            r#"{"kind":"number","other":1,"value":-2.5}"#,
            r#"{"kind":"fields","value":{"x":1,"inner":{"a":2,"type":"fields"}}}"#,
            r#"{"value":{"inner":{"type":"unit"},"x":-9},"kind":"fields"}"#,
        ] {
            assert!(agree::<Adjacent, SerdeAdjacent>(text).is_some(), "{text}");
        }
    }

    #[test]
    fn refuses_what_serde_refuses() {
        for text in [
            r#"{}"#,
            r#"{"a":1}"#,
            r#"{"type":"nope","a":1}"#,
            r#"{"a":1,"type":"nope"}"#,
            r#"{"type":7}"#,
            r#"{"type":"fields"}"#,
            r#"{"type":"fields","a":"one"}"#,
            r#"{"b":"x","type":"fields"}"#,
            r#"{"type":"wrapped","x":1}"#,
            r#""fields""#,
            r#"null"#,
            r#"{"a":1,"type":"fields","type":"fields"}"#,
        ] {
            assert!(agree::<Inner, SerdeInner>(text).is_none(), "{text}");
        }
        for text in [
            r#"{"kind":"text"}"#,
            r#"{"kind":"number","value":"1"}"#,
            r#"{"kind":"fields"}"#,
            r#"{"value":"t"}"#,
            r#"{"kind":"text","kind":"text","value":"t"}"#,
        ] {
            assert!(agree::<Adjacent, SerdeAdjacent>(text).is_none(), "{text}");
        }
    }

    #[test]
    fn reads_from_values_too() {
        let v = json!({"b": "x", "a": 1, "type": "fields"});
        assert_eq!(
            serde_json::from_value::<Inner>(v).unwrap(),
            Inner::Fields {
                a: 1,
                b: Some("x".into())
            }
        );
        let v = json!({"kind": "maybe"});
        assert_eq!(
            serde_json::from_value::<Adjacent>(v).unwrap(),
            Adjacent::Maybe(None)
        );
    }
}
