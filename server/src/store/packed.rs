//! Records as received, packed for the SQLite store.
//!
//! Every record keeps all its fields verbatim, so that nothing a
//! municipality sent is lost; at 1.5 KB a record it was three quarters of
//! what an import writes and what the server reads past when it starts. Most
//! of those bytes are the standard's long field names. Each occurs once in
//! a record, so a compressor that sees one record at a time finds nothing
//! to refer back to; LZ4 with a dictionary holding those names packs a
//! record to about a third, for about a second of CPU time per million.
//!
//! A packed record is a byte string that starts with its format number, so
//! that records packed once stay readable when the dictionary changes: a new
//! dictionary comes with a new number, and the old one stays.

/// The first and so far only packing: LZ4 with [`DICTIONARY_1`].
const LZ4_DICTIONARY_1: u8 = 1;

/// A record as CKAN writes one, with every field of versions 1.6 and 1.7
/// of the standard and values typical of them. Never change it: records
/// packed with it must stay readable. Add a new one with a new number.
const DICTIONARY_1: &str = concat!(
    r#"{"Gehandicaptentoilet": "nee", "Kieskring ID": "", "Hoofdstembureau": "", "#,
    r#""Wijknaam": null, "CBS wijknummer": null, "#,
    r#""Buurtnaam": null, "CBS buurtnummer": null, "X": null, "Y": null, "Extra adresaanduiding": "", "#,
    r#""Gebruiksdoel van het gebouw": "bijeenkomstfunctie", "Type stembureau": "regulier", "#,
    r#""Website locatie": "https://www.", "Huisletter": "", "Huisnummertoevoeging": "", "#,
    r#""_id": 1, "Gemeente": "", "CBS gemeentecode": "GM0", "Nummer stembureau": 1, "Naam stembureau": "", "#,
    r#""BAG Nummeraanduiding ID": "0000200000000000", "Straatnaam": "", "Huisnummer": "1", "Postcode": "", "#,
    r#""Plaats": "", "Latitude": 52.0, "Longitude": 5.0, "#,
    r#""Openingstijd": "2026-03-18T07:30:00", "Sluitingstijd": "2026-03-18T21:00:00", "#,
    r#""Toegankelijk voor mensen met een lichamelijke beperking": "ja", "Toegankelijke ov-halte": "ja", "#,
    r#""Toilet": "ja, toegankelijk toilet", "Host": "nee", "Geleidelijnen": "buiten en binnen", "#,
    r#""Stemmal met audio-ondersteuning": "nee", "Kandidatenlijst in braille": "nee", "#,
    r#""Kandidatenlijst met grote letters": "ja", "Gebarentolk (NGT)": "op afstand", "#,
    r#""Gebarentalig stembureaulid (NGT)": "nee", "Akoestiek geschikt voor slechthorenden": "", "#,
    r#""Prikkelarm": "", "Prokkelduo": "", "Extra toegankelijkheidsinformatie": "", "Overige informatie": "", "#,
    r#""Tellocatie": "ja", "Contactgegevens gemeente": "", "#,
    r#""Verkiezingswebsite gemeente": "https://www.gemeente.nl/verkiezingen", "ID": "NLODSGM0", "UUID": ""}"#,
);

/// Packs a record for storing.
pub fn pack(record: &str) -> Vec<u8> {
    let mut packed = vec![LZ4_DICTIONARY_1];
    packed
        .extend(lz4_flex::block::compress_prepend_size_with_dict(record.as_bytes(), DICTIONARY_1.as_bytes()));
    packed
}

/// More than any record holds: a damaged size is refused before it is
/// allocated.
const MAX_RECORD_BYTES: usize = 64 << 20;

/// The record a [`pack`] made; the error says why the bytes are not one.
pub fn unpack(packed: &[u8]) -> Result<String, String> {
    let damaged = |e: &dyn std::fmt::Display| format!("a packed record does not unpack: {e}");
    match packed.split_first() {
        Some((&LZ4_DICTIONARY_1, block)) => {
            let (size, block) = lz4_flex::block::uncompressed_size(block).map_err(|e| damaged(&e))?;
            if size > MAX_RECORD_BYTES {
                return Err(damaged(&format!("it claims {size} bytes")));
            }
            let bytes = lz4_flex::block::decompress_with_dict(block, size, DICTIONARY_1.as_bytes())
                .map_err(|e| damaged(&e))?;
            String::from_utf8(bytes).map_err(|e| format!("a packed record is not UTF-8: {e}"))
        }
        Some((format, _)) => Err(format!("a record packed in unknown format {format}, by a newer Kieskaart")),
        None => Err("an empty packed record".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = r#"{"_id": 193, "Gemeente": "Bergeijk", "CBS gemeentecode": "GM1724", "Nummer stembureau": 9, "Naam stembureau": "Ontmoetingscentrum De Buitengaander", "Type stembureau": "regulier", "Toegankelijk voor mensen met een lichamelijke beperking": "ja", "Toilet": "ja, toegankelijk toilet", "Kandidatenlijst met grote letters": "ja", "Gebarentolk (NGT)": "nee", "Extra toegankelijkheidsinformatie": "Ingang \"achterom\", ☺", "Verkiezingswebsite gemeente": "https://www.bergeijk.nl/verkiezingen"}"#;

    #[test]
    fn a_record_comes_back_byte_for_byte_and_smaller() {
        let packed = pack(RECORD);
        assert_eq!(unpack(&packed).as_deref(), Ok(RECORD));
        assert!(packed.len() * 2 < RECORD.len(), "{} bytes packed from {}", packed.len(), RECORD.len());
    }

    #[test]
    fn anything_can_be_packed() {
        for text in ["", "x", "not json at all", &"ja, ".repeat(10_000)] {
            assert_eq!(unpack(&pack(text)).as_deref(), Ok(text));
        }
    }

    #[test]
    fn damaged_or_unknown_bytes_are_refused_not_misread() {
        let packed = pack(RECORD);
        assert!(unpack(&packed[..packed.len() / 2]).is_err());
        assert!(unpack(&[]).unwrap_err().contains("empty"));
        let mut huge = packed.clone();
        huge[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(unpack(&huge).unwrap_err().contains("claims 4294967295 bytes"));
        let mut newer = packed.clone();
        newer[0] = 2;
        assert!(unpack(&newer).unwrap_err().contains("unknown format 2"));
    }
}
