//! Addresses known from earlier files, by BAG address ID.
//!
//! The standard derives a station's address (street, number, postcode,
//! place, building use, district) from its BAG address ID, and the
//! municipality template has no address rows at all. Without the national
//! address register at hand, Kieskaart completes a record that gives an ID
//! but no address from the last record it stored with that ID, so a
//! municipality that switches to the template does not lose its addresses.

use super::Fields;
use std::collections::HashMap;

/// The fields the BAG supplies for an address ID.
pub const FROM_THE_BAG: [&str; 11] = [
    "Straatnaam",
    "Huisnummer",
    "Huisletter",
    "Huisnummertoevoeging",
    "Postcode",
    "Plaats",
    "Gebruiksdoel van het gebouw",
    "Wijknaam",
    "CBS wijknummer",
    "Buurtnaam",
    "CBS buurtnummer",
];

const ADDRESS_ID: &str = "BAG Nummeraanduiding ID";

#[derive(Debug, Default)]
pub struct AddressBook {
    addresses: HashMap<String, Fields>,
}

impl AddressBook {
    /// Remembers the address of a stored record; later records win.
    pub fn learn(&mut self, record: &Fields) {
        let Some(id) = address_id(record) else { return };
        let address: Fields = FROM_THE_BAG
            .iter()
            .filter_map(|name| {
                record.get(*name).filter(|value| !is_blank(value)).map(|v| ((*name).to_owned(), v.clone()))
            })
            .collect();
        if address.contains_key("Straatnaam") || address.contains_key("Postcode") {
            self.addresses.insert(id, address);
        }
    }

    /// Fills in the address of a record that has an ID but no address.
    /// A record with any address field of its own keeps what it says.
    pub fn complete(&self, record: &mut Fields) {
        let has_address =
            FROM_THE_BAG.iter().any(|name| record.get(*name).is_some_and(|value| !is_blank(value)));
        if has_address {
            return;
        }
        if let Some(address) = address_id(record).and_then(|id| self.addresses.get(&id)) {
            record.extend(address.clone());
        }
    }

    pub fn len(&self) -> usize {
        self.addresses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty()
    }
}

/// The 16-digit ID, also when a spreadsheet made a number of it and
/// dropped its leading zeros; none for "no address" (all zeros).
fn address_id(record: &Fields) -> Option<String> {
    let text = match record.get(ADDRESS_ID)? {
        serde_json::Value::String(text) => text.trim().to_owned(),
        serde_json::Value::Number(number) => number.to_string(),
        _ => return None,
    };
    let valid = (13..=16).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    let id = format!("{text:0>16}");
    (valid && id.bytes().any(|b| b != b'0')).then_some(id)
}

fn is_blank(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: serde_json::Value) -> Fields {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_record_with_only_an_address_id_gets_the_address_last_stored_with_it() {
        let mut book = AddressBook::default();
        book.learn(&fields(
            json!({"BAG Nummeraanduiding ID": "0589200000265346", "Straatnaam": "Oud", "Postcode": "3421AA"}),
        ));
        book.learn(&fields(json!({"BAG Nummeraanduiding ID": "0589200000265346", "Straatnaam": "Kapellestraat", "Huisnummer": 39, "Postcode": "3421CT", "Naam stembureau": "x"})));
        book.learn(&fields(json!({"BAG Nummeraanduiding ID": "0000000000000000", "Straatnaam": "Nergens"})));
        assert_eq!(book.len(), 1);

        // A spreadsheet's number, leading zero lost.
        let mut from_template =
            fields(json!({"BAG Nummeraanduiding ID": 589200000265346_u64, "Naam stembureau": "Muziekhuis"}));
        book.complete(&mut from_template);
        assert_eq!(from_template["Straatnaam"], "Kapellestraat");
        assert_eq!(from_template["Huisnummer"], 39);
        assert_eq!(from_template["Naam stembureau"], "Muziekhuis");
        assert!(!from_template.contains_key("Huisletter"));

        let mut own = fields(json!({"BAG Nummeraanduiding ID": "0589200000265346", "Postcode": "3421XX"}));
        book.complete(&mut own);
        assert_eq!(own, fields(json!({"BAG Nummeraanduiding ID": "0589200000265346", "Postcode": "3421XX"})));
        let mut unknown = fields(json!({"BAG Nummeraanduiding ID": "0589200000000001"}));
        book.complete(&mut unknown);
        assert_eq!(unknown.len(), 1);
    }
}
