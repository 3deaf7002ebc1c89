use super::MunicipalityCode;
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

/// The kinds of election in the Netherlands; they differ in where a voter
/// may vote (see `municipality_rule`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElectionKind {
    /// Tweede Kamer (House of Representatives).
    Tk,
    /// Eerste Kamer (Senate; elected by provincial councils, no polling stations of its own).
    Ek,
    /// Provinciale Staten (provincial councils).
    Ps,
    /// Waterschappen (water boards).
    Ws,
    /// Gemeenteraad (municipal councils).
    Gr,
    /// European Parliament.
    Ep,
    Referendum,
    Other,
}

/// Where a voter may vote, as far as the search can tell from a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MunicipalityRule {
    /// Only in the voter's own municipality (municipal elections).
    OwnMunicipalityOnly,
    /// In the own municipality with a voting pass (stempas); elsewhere only
    /// with a voter's pass (kiezerspas).
    OwnMunicipalityUnlessVoterPass,
}

impl ElectionKind {
    pub const ALL: [ElectionKind; 8] = [
        ElectionKind::Tk,
        ElectionKind::Ek,
        ElectionKind::Ps,
        ElectionKind::Ws,
        ElectionKind::Gr,
        ElectionKind::Ep,
        ElectionKind::Referendum,
        ElectionKind::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            ElectionKind::Tk => "tk",
            ElectionKind::Ek => "ek",
            ElectionKind::Ps => "ps",
            ElectionKind::Ws => "ws",
            ElectionKind::Gr => "gr",
            ElectionKind::Ep => "ep",
            ElectionKind::Referendum => "referendum",
            ElectionKind::Other => "other",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.slug() == slug)
    }

    /// The kind an id such as `gr2026` or `tk-2025` names by its prefix.
    pub fn guess_from_id(id: &ElectionId) -> Self {
        Self::ALL
            .into_iter()
            .filter(|kind| *kind != ElectionKind::Other)
            .find(|kind| id.as_str().starts_with(kind.slug()))
            .unwrap_or(ElectionKind::Other)
    }

    /// A stempas is valid in the voter's own municipality for every
    /// election with polling stations; only municipal elections allow no
    /// kiezerspas to vote elsewhere.
    pub fn municipality_rule(self) -> Option<MunicipalityRule> {
        match self {
            ElectionKind::Gr => Some(MunicipalityRule::OwnMunicipalityOnly),
            ElectionKind::Tk
            | ElectionKind::Ps
            | ElectionKind::Ws
            | ElectionKind::Ep
            | ElectionKind::Referendum => Some(MunicipalityRule::OwnMunicipalityUnlessVoterPass),
            ElectionKind::Ek | ElectionKind::Other => None,
        }
    }
}

/// The IANA name of the time zone that an election's opening times are
/// in, e.g. `Europe/Amsterdam`, or `America/Kralendijk` for the Caribbean
/// Netherlands.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZoneName(String);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("\"{0}\" is not a time zone: give an IANA name such as Europe/Amsterdam or America/Kralendijk")]
pub struct TimeZoneError(pub String);

impl TimeZoneName {
    /// The server checks the name against the time-zone database; the
    /// browser, which only receives names the server checked, does not
    /// carry that database and checks the shape alone.
    pub fn parse(text: &str) -> Result<Self, TimeZoneError> {
        #[cfg(feature = "ssr")]
        let known = text.parse::<chrono_tz::Tz>().is_ok();
        #[cfg(not(feature = "ssr"))]
        let known = !text.is_empty() && !text.contains(char::is_whitespace);
        if known {
            Ok(Self(text.to_owned()))
        } else {
            Err(TimeZoneError(text.to_owned()))
        }
    }

    #[cfg(feature = "ssr")]
    pub fn tz(&self) -> chrono_tz::Tz {
        // `parse` admitted only names that the database knows.
        self.0.parse().unwrap_or(chrono_tz::Europe::Amsterdam)
    }

    /// The zone of a municipality whose clocks differ from the European
    /// Netherlands': the Caribbean Netherlands' public bodies Bonaire
    /// (`GM9001`), Sint Eustatius (`GM9002`) and Saba (`GM9003`), which
    /// keep Atlantic Standard Time (UTC-4) all year. `None` for every
    /// other municipality, whose stations keep their election's zone.
    pub fn of_municipality(code: &MunicipalityCode) -> Option<Self> {
        matches!(code.as_str(), "GM9001" | "GM9002" | "GM9003").then(|| Self("America/Kralendijk".to_owned()))
    }
}

impl Default for TimeZoneName {
    fn default() -> Self {
        Self("Europe/Amsterdam".to_owned())
    }
}

validated_text!(TimeZoneName, TimeZoneError);

/// An election for which stations are published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Election {
    pub id: ElectionId,
    pub name: String,
    pub kind: ElectionKind,
    pub polling_date: NaiveDate,
    /// Days before polling day on which some stations open, in order.
    #[serde(default)]
    pub early_voting: Vec<NaiveDate>,
    pub time_zone: TimeZoneName,
}

impl Election {
    /// An election of the kind its id names, in the Netherlands' time zone.
    pub fn new(id: ElectionId, name: impl Into<String>, polling_date: NaiveDate) -> Self {
        let kind = ElectionKind::guess_from_id(&id);
        Self {
            id,
            name: name.into(),
            kind,
            polling_date,
            early_voting: Vec::new(),
            time_zone: TimeZoneName::default(),
        }
    }

    /// The days on which stations of this election may open: the early
    /// voting days and polling day.
    pub fn voting_days(&self) -> Vec<NaiveDate> {
        let mut days = self.early_voting.clone();
        days.push(self.polling_date);
        days
    }

    /// The election a voter most likely means on `today`: the next one still
    /// to come (today included), otherwise the most recent one.
    pub fn default_choice(elections: &[Election], today: NaiveDate) -> Option<&Election> {
        let upcoming = elections.iter().filter(|e| e.polling_date >= today).min_by_key(|e| e.polling_date);
        upcoming.or_else(|| elections.iter().max_by_key(|e| e.polling_date))
    }

    pub fn is_past(&self, today: NaiveDate) -> bool {
        self.polling_date < today
    }

    /// The earliest expiry date of an identity document that still lets
    /// its holder vote: it may have expired up to five years before
    /// polling day. From 29 February, five years back is 28 February.
    pub fn oldest_valid_id_expiry(&self) -> NaiveDate {
        // Fails only for dates near chrono's limits, which no election has.
        self.polling_date.checked_sub_months(chrono::Months::new(60)).unwrap_or(NaiveDate::MIN)
    }

    /// The zone whose clock a station of `municipality` keeps: opening
    /// times are published in it, and "now" is read in it. One national
    /// election spans Amsterdam and Kralendijk, five or six hours apart,
    /// so the municipality's own zone comes first; the election's zone
    /// serves every municipality without one.
    pub fn time_zone_of(&self, municipality: &MunicipalityCode) -> TimeZoneName {
        TimeZoneName::of_municipality(municipality).unwrap_or_else(|| self.time_zone.clone())
    }

    /// What the clock at `station` reads at `instant`.
    #[cfg(feature = "ssr")]
    pub fn clock_at(
        &self,
        station: &super::Station,
        instant: chrono::DateTime<chrono::Utc>,
    ) -> chrono::NaiveDateTime {
        instant.with_timezone(&self.time_zone_of(&station.municipality_code).tz()).naive_local()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn election(id: &str, date: &str) -> Election {
        Election::new(ElectionId::parse(id).unwrap(), id, date.parse().unwrap())
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
    fn kinds_follow_the_id_prefix_and_set_where_voters_may_vote() {
        let kind = |id| ElectionKind::guess_from_id(&ElectionId::parse(id).unwrap());
        assert_eq!(kind("gr2026"), ElectionKind::Gr);
        assert_eq!(kind("tk-2025"), ElectionKind::Tk);
        assert_eq!(kind("referendum2030"), ElectionKind::Referendum);
        assert_eq!(kind("demo"), ElectionKind::Other);
        assert_eq!(ElectionKind::Gr.municipality_rule(), Some(MunicipalityRule::OwnMunicipalityOnly));
        assert_eq!(ElectionKind::Other.municipality_rule(), None);
    }

    #[test]
    fn caribbean_municipalities_keep_their_own_clock_in_any_election() {
        let national = election("tk2030", "2030-03-20");
        let code = |text| MunicipalityCode::parse(text).unwrap();
        for island in ["GM9001", "GM9002", "GM9003"] {
            assert_eq!(national.time_zone_of(&code(island)).as_str(), "America/Kralendijk", "{island}");
        }
        assert_eq!(national.time_zone_of(&code("GM0589")).as_str(), "Europe/Amsterdam");
        let elsewhere = Election { time_zone: TimeZoneName::parse("Europe/Brussels").unwrap(), ..national };
        assert_eq!(
            elsewhere.time_zone_of(&code("GM0589")).as_str(),
            "Europe/Brussels",
            "the election's zone"
        );
        assert_eq!(elsewhere.time_zone_of(&code("GM9001")).as_str(), "America/Kralendijk");
    }

    #[test]
    fn an_identity_document_may_have_expired_up_to_five_years_before_polling_day() {
        let expiry = |date: &str| election("gr2026", date).oldest_valid_id_expiry().to_string();
        assert_eq!(expiry("2026-03-18"), "2021-03-18");
        assert_eq!(expiry("2028-02-29"), "2023-02-28", "no 29 February five years back");
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
