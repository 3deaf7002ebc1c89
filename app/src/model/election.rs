use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Short, URL-safe election identifier such as `gr2026` or `tk2025`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ElectionId(String);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("\"{0}\" is not an election id: use 1 to 32 lowercase letters, digits or '-', e.g. gr2026")]
pub struct ElectionIdError(pub String);

impl ElectionId {
    pub fn parse(text: &str) -> Result<Self, ElectionIdError> {
        let valid = (1..=32).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(ElectionIdError(text.to_owned()))
        }
    }
}

validated_text!(ElectionId, ElectionIdError);

/// An election for which stations are published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Election {
    pub id: ElectionId,
    pub name: String,
    pub polling_date: NaiveDate,
}

impl Election {
    /// The election a voter most likely means on `today`: the next one still
    /// to come (today included), otherwise the most recent one.
    pub fn default_choice(elections: &[Election], today: NaiveDate) -> Option<&Election> {
        let upcoming = elections.iter().filter(|e| e.polling_date >= today).min_by_key(|e| e.polling_date);
        upcoming.or_else(|| elections.iter().max_by_key(|e| e.polling_date))
    }

    pub fn is_past(&self, today: NaiveDate) -> bool {
        self.polling_date < today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn election(id: &str, date: &str) -> Election {
        Election {
            id: ElectionId::parse(id).unwrap(),
            name: id.to_owned(),
            polling_date: date.parse().unwrap(),
        }
    }

    #[test]
    fn ids_are_short_lowercase_slugs() {
        assert!(ElectionId::parse("gr2026").is_ok());
        assert!(ElectionId::parse("ps-2027").is_ok());
        assert!(ElectionId::parse("").is_err());
        assert!(ElectionId::parse("GR2026").is_err());
        assert!(ElectionId::parse("gr 2026").is_err());
        assert!(ElectionId::parse(&"a".repeat(33)).is_err());
    }

    #[test]
    fn default_choice_prefers_the_next_election_then_the_latest() {
        let all = [
            election("gr2026", "2026-03-18"),
            election("ps2027", "2027-03-17"),
            election("tk2025", "2025-10-29"),
        ];
        let pick = |today: &str| {
            Election::default_choice(&all, today.parse().unwrap()).map(|e| e.id.as_str().to_owned())
        };
        assert_eq!(pick("2026-03-18").as_deref(), Some("gr2026"));
        assert_eq!(pick("2026-11-26").as_deref(), Some("ps2027"));
        assert_eq!(pick("2028-01-01").as_deref(), Some("ps2027"));
        assert!(Election::default_choice(&[], "2026-01-01".parse().unwrap()).is_none());
    }
}
