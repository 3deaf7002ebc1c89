//! Text that was UTF-8, was read by some program as Windows-1252 (or
//! Latin-1), and was written out as UTF-8 again: `SÃºdwest-FryslÃ¢n` for
//! `Súdwest-Fryslân`. A third party's conversion of a national list does
//! this; the file is valid UTF-8, so nothing else notices.
//!
//! The test is the damage undone: encode the text as Windows-1252 and
//! read those bytes as UTF-8. Correct text almost never survives that (an
//! accented letter in Windows-1252 is one byte, never valid UTF-8 on its
//! own before ASCII), so real Frisian, Papiamentu or French names pass
//! untouched; doubly written text comes back as what was meant.

use super::finding::{Finding, Problem};
use super::SourceRecord;
use encoding_rs::WINDOWS_1252;
use serde_json::Value;

/// What `text` was before it was written twice, when it was.
pub fn intended(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let (bytes, _, unmappable) = WINDOWS_1252.encode(text);
    if unmappable {
        return None;
    }
    let undone = std::str::from_utf8(&bytes).ok()?;
    (undone != text).then(|| undone.to_owned())
}

/// Finds every doubly written text field of a record: a warning each, or,
/// with `repair`, the field repaired and a warning that says what it was.
/// A repaired record is no longer the text that came, so its verbatim
/// copy is dropped and the repaired fields are what is stored.
pub fn check(record: &mut SourceRecord, repair: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (field, value) in record.fields.iter_mut() {
        let Value::String(text) = value else { continue };
        let Some(intended) = intended(text) else { continue };
        let (value, problem) = match repair {
            true => {
                let was = std::mem::replace(text, intended.clone());
                (intended, Problem::EncodingRepaired { was })
            }
            false => (text.clone(), Problem::WrittenTwiceAsUtf8 { intended }),
        };
        findings.push(Finding { place: record.place.clone(), field: field.clone(), value, problem });
    }
    if repair && !findings.is_empty() {
        record.verbatim = None;
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubly_written_text_is_found_and_undone() {
        for (damaged, meant) in [
            ("SÃºdwest-FryslÃ¢n", "Súdwest-Fryslân"),
            ("Noardeast-FryslÃ¢n", "Noardeast-Fryslân"),
            ("CafÃ© De Ã‰Ã©n", "Café De Één"),
            ("â€™t Hof", "’t Hof"),
            ("Ã–zil", "Özil"),
        ] {
            assert_eq!(intended(damaged).as_deref(), Some(meant), "{damaged}");
        }
    }

    #[test]
    fn correct_names_are_left_alone() {
        // Names of the real data, the BES islands and the rest of Europe.
        for name in [
            "Súdwest-Fryslân",
            "Noardeast-Fryslân",
            "Tytsjerksteradiel",
            "De Fryske Marren",
            "Dantumadiel",
            "Kralendijk",
            "Rincón",
            "Sint Eustatius",
            "Café 't Hoekje",
            "Gemeentehuis 's-Hertogenbosch",
            "Ĳsselstein",
            "Curaçao",
            "Müller-Straße",
            "Œuvre",
            "École Élémentaire",
            "Zaal “De Ster”",
            "",
            "Kapellestraat 39",
        ] {
            assert_eq!(intended(name), None, "{name}");
        }
    }

    #[test]
    fn a_record_is_warned_about_or_repaired_field_by_field() {
        use super::super::Place;
        let fields =
            serde_json::json!({"Gemeente": "SÃºdwest-FryslÃ¢n", "Plaats": "Sneek", "Nummer stembureau": 1});
        let record = || SourceRecord {
            place: Place::Line { number: 2 },
            fields: fields.as_object().cloned().unwrap_or_default(),
            verbatim: Some(fields.to_string()),
            findings: Vec::new(),
        };

        let mut warned = record();
        let findings = check(&mut warned, false);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].field.as_str(), findings[0].value.as_str()),
            ("Gemeente", "SÃºdwest-FryslÃ¢n")
        );
        assert_eq!(findings[0].problem, Problem::WrittenTwiceAsUtf8 { intended: "Súdwest-Fryslân".into() });
        assert_eq!(warned.fields["Gemeente"], "SÃºdwest-FryslÃ¢n");
        assert!(warned.verbatim.is_some());

        let mut repaired = record();
        let findings = check(&mut repaired, true);
        assert_eq!(findings[0].problem, Problem::EncodingRepaired { was: "SÃºdwest-FryslÃ¢n".into() });
        assert_eq!(repaired.fields["Gemeente"], "Súdwest-Fryslân");
        assert_eq!(repaired.verbatim, None, "the repaired fields are stored, not the damaged text");
    }
}
