//! Which municipalities of a file go in and which are refused, when one
//! error refuses only its own municipality ([`Whole::Municipality`]).
//!
//! Versions, publication and the portal all work per municipality, so a
//! national file of a hundred municipalities need not be refused for two
//! records of one: each municipality goes in or is refused whole, its
//! published version untouched. An error counts against the municipality
//! its record names. A record whose code cannot be read is placed by its
//! municipality's name; one that cannot be placed at all refuses the whole
//! file, since it may be a station missing from any municipality.
//! Warnings refuse nothing, so the rules that span municipalities (two
//! addresses on one point) stay warnings and never refuse one.

use super::finding::Lang;
use super::record::CODE;
use super::Fields;
use app::model::MunicipalityCode;
use serde::Serialize;
use std::collections::BTreeMap;

/// What one error refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Whole {
    /// The whole file: nothing is stored. Uploads (one municipality's file)
    /// and `kieskaart import --all-or-nothing`.
    #[default]
    File,
    /// The municipality of the record: the other municipalities go in.
    Municipality,
}

/// A municipality refused as a whole, and how many errors it had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refused {
    pub code: MunicipalityCode,
    pub name: String,
    pub errors: usize,
}

/// The municipalities of a file and the errors counted against each.
#[derive(Debug, Default)]
pub struct Ledger {
    municipalities: BTreeMap<MunicipalityCode, Entry>,
    /// Errors of records without a readable code, by the municipality name
    /// they give (trimmed, lowercase; empty when none).
    unplaced: BTreeMap<String, usize>,
}

#[derive(Debug, Default)]
struct Entry {
    name: String,
    errors: usize,
}

/// How the municipalities of a file came out: some refused, or the file
/// refused whole.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Every municipality not listed goes in (at least one does).
    Split { refused: Vec<Refused> },
    /// Errors that no municipality could be found for, or every
    /// municipality refused: nothing goes in.
    Refused,
}

impl Ledger {
    /// Notes a record of the file and how many errors it had.
    pub fn note(&mut self, fields: &Fields, errors: usize) {
        let name = text(fields, "Gemeente");
        match MunicipalityCode::parse(&text(fields, CODE)) {
            Ok(code) => {
                let entry = self.municipalities.entry(code).or_default();
                if entry.name.is_empty() {
                    entry.name = name;
                }
                entry.errors += errors;
            }
            Err(_) if errors > 0 => *self.unplaced.entry(name.to_lowercase()).or_default() += errors,
            Err(_) => {}
        }
    }

    /// Counts an error found about records together (a station number
    /// used twice at once) against their municipality.
    pub fn note_error(&mut self, municipality: &MunicipalityCode) {
        self.municipalities.entry(municipality.clone()).or_default().errors += 1;
    }

    /// Whether `municipality` is refused already: its records need not be
    /// kept.
    pub fn refuses(&self, municipality: &MunicipalityCode) -> bool {
        self.municipalities.get(municipality).is_some_and(|entry| entry.errors > 0)
    }

    /// The municipalities refused, once every record has been noted.
    pub fn finish(mut self) -> Outcome {
        for (name, errors) in std::mem::take(&mut self.unplaced) {
            let mut named = self.municipalities.values_mut().filter(|e| e.name.to_lowercase() == name);
            match (named.next(), named.next()) {
                (Some(entry), None) if !name.is_empty() => entry.errors += errors,
                _ => return Outcome::Refused,
            }
        }
        let refused: Vec<Refused> = self
            .municipalities
            .iter()
            .filter(|(_, entry)| entry.errors > 0)
            .map(|(code, entry)| Refused {
                code: code.clone(),
                name: entry.name.clone(),
                errors: entry.errors,
            })
            .collect();
        if refused.len() == self.municipalities.len() {
            Outcome::Refused
        } else {
            Outcome::Split { refused }
        }
    }
}

/// The field as trimmed text (a code may come as a number).
fn text(fields: &Fields, field: &str) -> String {
    match fields.get(field) {
        Some(serde_json::Value::String(text)) => text.trim().to_owned(),
        Some(serde_json::Value::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}

/// "published 105 municipalities; refused 2: Veere (1 error),
/// Tytsjerksteradiel (1 error)", in `lang`; for an import taken
/// municipality by municipality.
pub fn summary(published: usize, refused: &[Refused], lang: Lang) -> String {
    let (nl, one, many) = match lang {
        Lang::Nl => (true, "gemeente", "gemeenten"),
        Lang::En => (false, "municipality", "municipalities"),
    };
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let published = plural(published, one, many);
    if refused.is_empty() {
        return if nl { format!("{published} gepubliceerd") } else { format!("published {published}") };
    }
    let listed: Vec<String> = refused
        .iter()
        .map(|r| {
            let name = if r.name.is_empty() { r.code.to_string() } else { r.name.clone() };
            let errors =
                if nl { plural(r.errors, "fout", "fouten") } else { plural(r.errors, "error", "errors") };
            format!("{name} ({errors})")
        })
        .collect();
    let listed = listed.join(", ");
    let count = refused.len();
    if nl {
        format!("{published} gepubliceerd; {count} geweigerd: {listed}")
    } else {
        format!("published {published}; refused {count}: {listed}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: serde_json::Value) -> Fields {
        value.as_object().cloned().unwrap_or_default()
    }

    fn code(text: &str) -> MunicipalityCode {
        MunicipalityCode::parse(text).unwrap()
    }

    #[test]
    fn an_error_refuses_its_own_municipality_and_no_other() {
        let mut ledger = Ledger::default();
        ledger.note(&fields(json!({"CBS gemeentecode": "GM0677", "Gemeente": "Veere"})), 0);
        ledger.note(&fields(json!({"CBS gemeentecode": "GM0677", "Gemeente": "Veere"})), 1);
        ledger.note(&fields(json!({"CBS gemeentecode": "GM0589", "Gemeente": "Oudewater"})), 0);
        ledger.note(&fields(json!({"CBS gemeentecode": "GM0737", "Gemeente": "Tytsjerksteradiel"})), 0);
        ledger.note_error(&code("GM0737"));
        assert!(ledger.refuses(&code("GM0677")) && !ledger.refuses(&code("GM0589")));
        let Outcome::Split { refused } = ledger.finish() else { panic!("Oudewater goes in") };
        let names: Vec<_> = refused.iter().map(|r| (r.name.as_str(), r.errors)).collect();
        assert_eq!(names, [("Veere", 1), ("Tytsjerksteradiel", 1)]);
        assert_eq!(
            summary(105, &refused, Lang::En),
            "published 105 municipalities; refused 2: Veere (1 error), Tytsjerksteradiel (1 error)"
        );
        assert_eq!(
            summary(1, &refused[..1], Lang::Nl),
            "1 gemeente gepubliceerd; 1 geweigerd: Veere (1 fout)"
        );
    }

    #[test]
    fn a_record_without_a_readable_code_is_placed_by_name_or_refuses_the_file() {
        let mut ledger = Ledger::default();
        ledger.note(&fields(json!({"CBS gemeentecode": "GM0677", "Gemeente": "Veere"})), 0);
        ledger.note(&fields(json!({"CBS gemeentecode": "GM0589", "Gemeente": "Oudewater"})), 0);
        ledger.note(&fields(json!({"CBS gemeentecode": "GM67", "Gemeente": "veere "})), 2);
        let Outcome::Split { refused } = ledger.finish() else { panic!("placed by name") };
        assert_eq!(refused, [Refused { code: code("GM0677"), name: "Veere".into(), errors: 2 }]);

        let mut ledger = Ledger::default();
        ledger.note(&fields(json!({"CBS gemeentecode": "GM0677", "Gemeente": "Veere"})), 0);
        ledger.note(&fields(json!({"Gemeente": "Nergens"})), 1);
        assert_eq!(ledger.finish(), Outcome::Refused, "a station of no known municipality");
    }

    #[test]
    fn a_file_whose_every_municipality_is_refused_is_refused() {
        let mut ledger = Ledger::default();
        ledger.note(&fields(json!({"CBS gemeentecode": "GM0677"})), 1);
        assert_eq!(ledger.finish(), Outcome::Refused);
    }
}
