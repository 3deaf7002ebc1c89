//! The demo dataset that a fresh installation shows, so that `make run`
//! has something to find. Its municipality, streets and postcodes are
//! invented, and every name says "demo", so nobody mistakes it for real data.

use app::model::{Election, ElectionId};

pub const FILE_NAME: &str = "demo/demodorp-ckan.json";
pub const CKAN_JSON: &[u8] = include_bytes!("../demo/demodorp-ckan.json");

pub fn election() -> Election {
    Election::new(
        ElectionId::parse("demo").expect("a valid id"),
        "Demoverkiezing (voorbeeldgegevens)",
        chrono::NaiveDate::from_ymd_opt(2030, 3, 20).expect("a valid date"),
    )
}
