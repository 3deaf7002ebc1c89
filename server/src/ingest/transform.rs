//! What a mapping does to a column's value before the standard's rules see
//! it: other systems' identifiers (`0014::SB100`, `0014`), their words for
//! the standard's values and their ways of writing a time.
//!
//! ```toml
//! [columns]
//! number = { column = "id", pattern = "SB(\\d+)$" }        # keep what the one group captures
//! municipality_code = { column = "gemeentecode", prefix = "GM", pad = 4 }
//! kind = { column = "soort", map = { "gewoon" = "regulier", "mobiel" = "mobiel" } }
//! opens = { column = "open", format = "%d-%m-%Y %H:%M" }
//! closes = { column = "dicht", format = "%H:%M", day = "2026-03-18" }   # a time-only column
//! ```
//!
//! The steps run in that order (pattern, map, pad, prefix, format), each
//! on what the one before made; an empty cell is left empty for the rules
//! to judge. Everything is checked when the mapping is read, so that a bad
//! mapping is refused before a file is; a value a step cannot read is an
//! error of its record that names the column, the value and the step.
//! Deliberately declarative: no expressions or scripts, which a mapping
//! file from elsewhere could abuse and few operators could review.

use super::finding::Lang;
use chrono::format::{Fixed, Item, Numeric, StrftimeItems};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A column with its transforms, as the mapping file writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnFile {
    pub column: String,
    pattern: Option<String>,
    map: Option<BTreeMap<String, String>>,
    pad: Option<usize>,
    prefix: Option<String>,
    format: Option<String>,
    /// A TOML date (`2026-03-18`) or the same as text.
    day: Option<toml::Value>,
}

/// The checked transforms of one column; none does nothing.
#[derive(Debug, Clone, Default)]
pub struct Transform {
    pattern: Option<Regex>,
    /// Lowercase value in the file, the value for the standard.
    map: Option<Vec<(String, String)>>,
    pad: Option<usize>,
    prefix: Option<String>,
    time: Option<TimeFormat>,
}

/// The `%` format of a time column and, when it holds no date, the day.
#[derive(Debug, Clone, PartialEq)]
struct TimeFormat {
    format: String,
    day: Option<NaiveDate>,
}

/// Compared by what they say: a regular expression has no equality.
impl PartialEq for Transform {
    fn eq(&self, other: &Self) -> bool {
        self.pattern.as_ref().map(Regex::as_str) == other.pattern.as_ref().map(Regex::as_str)
            && (&self.map, self.pad, &self.prefix, &self.time)
                == (&other.map, other.pad, &other.prefix, &other.time)
    }
}

/// What a value did not fit, for the finding that names it.
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    /// The pattern did not match, or captured nothing.
    Pattern(String),
    /// Not one of the map's values; they are listed.
    NotInMap(Vec<String>),
    /// Padding is for digits only.
    NotDigits { pad: usize },
    /// The value is not a time in this format.
    Time { format: String, example: String },
}

/// The largest `pad`: more digits than any code or number has.
const MAX_PAD: usize = 16;

impl Transform {
    /// Checks a column's transforms for `field` (the standard's name;
    /// `is_time` for the opening and closing times, which alone may have a
    /// format); a problem names what to write instead.
    pub fn parse(file: ColumnFile, field: &str, is_time: bool) -> Result<Self, String> {
        let pattern = file.pattern.as_deref().map(pattern).transpose()?;
        let map = file.map.map(value_map).transpose()?;
        if let Some(pad) = file.pad.filter(|pad| !(1..=MAX_PAD).contains(pad)) {
            return Err(format!("pad = {pad}: give the number of digits, from 1 to {MAX_PAD}"));
        }
        let time = match (file.format, file.day) {
            (Some(_), _) if !is_time => {
                return Err(format!(
                    "format is for the opening and closing times (opens, closes), not for {field}"
                ))
            }
            (Some(format), day) => Some(time_format(format, day.map(polling_day).transpose()?)?),
            (None, Some(_)) => {
                return Err("day goes with a time-only format, e.g. format = \"%H:%M\"".to_owned())
            }
            (None, None) => None,
        };
        Ok(Self { pattern, map, pad: file.pad, prefix: file.prefix, time })
    }

    /// Whether it has no step: the value is taken as it is.
    pub fn is_none(&self) -> bool {
        self.pattern.is_none()
            && self.map.is_none()
            && self.pad.is_none()
            && self.prefix.is_none()
            && self.time.is_none()
    }

    /// The value for the standard, or what it did not fit.
    pub fn apply(&self, value: &str) -> Result<String, Mismatch> {
        let mut value = value.trim().to_owned();
        if value.is_empty() {
            return Ok(value);
        }
        if let Some(pattern) = &self.pattern {
            let captured = pattern.captures(&value).and_then(|groups| groups.get(1));
            let captured = captured.map(|group| group.as_str().to_owned()).filter(|text| !text.is_empty());
            value = captured.ok_or_else(|| Mismatch::Pattern(pattern.as_str().to_owned()))?;
        }
        if let Some(map) = &self.map {
            let key = value.to_lowercase();
            value = map
                .iter()
                .find(|(from, _)| *from == key)
                .map(|(_, to)| to.clone())
                .ok_or_else(|| Mismatch::NotInMap(map.iter().map(|(from, _)| from.clone()).collect()))?;
        }
        if let Some(pad) = self.pad {
            if !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Mismatch::NotDigits { pad });
            }
            value = format!("{value:0>pad$}");
        }
        if let Some(prefix) = &self.prefix {
            value = format!("{prefix}{value}");
        }
        match &self.time {
            Some(time) => time.read(&value),
            None => Ok(value),
        }
    }
}

fn pattern(text: &str) -> Result<Regex, String> {
    let regex =
        Regex::new(text).map_err(|e| format!("pattern \"{text}\" is not a regular expression: {e}"))?;
    // Group 0 is the whole match.
    match regex.captures_len() - 1 {
        1 => Ok(regex),
        groups => Err(format!(
            "pattern \"{text}\" has {groups} capture groups; it needs exactly one, around the part \
             to keep, e.g. \"SB(\\\\d+)$\" (use (?:…) for other groups)"
        )),
    }
}

fn polling_day(value: toml::Value) -> Result<NaiveDate, String> {
    let text = match value {
        toml::Value::String(text) => text,
        toml::Value::Datetime(date) => date.to_string(),
        other => {
            return Err(format!(
                "day: a {} is not a date; write the polling day as 2026-03-18",
                other.type_str()
            ))
        }
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("day = {text}: write the polling day as 2026-03-18"))
}

/// Keys are matched without regard to case, as the standard's values are.
fn value_map(map: BTreeMap<String, String>) -> Result<Vec<(String, String)>, String> {
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(map.len());
    for (from, to) in map {
        let key = from.trim().to_lowercase();
        if pairs.iter().any(|(seen, _)| *seen == key) {
            return Err(format!("map has \"{from}\" twice (case does not count)"));
        }
        pairs.push((key, to));
    }
    if pairs.is_empty() {
        return Err("map is empty: give the file's values and what they stand for".to_owned());
    }
    Ok(pairs)
}

/// A format with hours and either a whole date or none (then `day`);
/// only the parts a time column needs, so that no value needs a time zone.
fn time_format(format: String, day: Option<NaiveDate>) -> Result<TimeFormat, String> {
    let (mut date_parts, mut hour) = ([false; 3], false);
    for item in StrftimeItems::new(&format) {
        match item {
            Item::Numeric(Numeric::Year | Numeric::YearMod100, _) => date_parts[0] = true,
            Item::Numeric(Numeric::Month, _) | Item::Fixed(Fixed::ShortMonthName | Fixed::LongMonthName) => {
                date_parts[1] = true
            }
            Item::Numeric(Numeric::Day, _) => date_parts[2] = true,
            Item::Numeric(Numeric::Hour | Numeric::Hour12, _) => hour = true,
            Item::Numeric(Numeric::Minute | Numeric::Second, _)
            | Item::Fixed(Fixed::LowerAmPm | Fixed::UpperAmPm)
            | Item::Literal(_)
            | Item::OwnedLiteral(_)
            | Item::Space(_)
            | Item::OwnedSpace(_) => {}
            _ => {
                return Err(format!(
                    "format \"{format}\": use only %Y %y %m %b %B %d %H %I %M %S %p and other text"
                ))
            }
        }
    }
    if !hour {
        return Err(format!("format \"{format}\" has no hour (%H or %I)"));
    }
    match (date_parts, day) {
        ([true, true, true], None) | ([false, false, false], Some(_)) => Ok(TimeFormat { format, day }),
        ([true, true, true], Some(_)) => {
            Err(format!("format \"{format}\" has a date already: leave out day, or the date from the format"))
        }
        ([false, false, false], None) => {
            Err(format!("format \"{format}\" has no date: give the polling day too, day = \"2026-03-18\""))
        }
        _ => Err(format!("format \"{format}\" has part of a date: give year, month and day (%Y %m %d)")),
    }
}

impl TimeFormat {
    /// The time as the standard writes it, `YYYY-MM-DDTHH:MM:SS`.
    fn read(&self, value: &str) -> Result<String, Mismatch> {
        let read = match self.day {
            Some(day) => NaiveTime::parse_from_str(value, &self.format).map(|time| day.and_time(time)),
            None => NaiveDateTime::parse_from_str(value, &self.format),
        };
        read.map(|time| time.format("%Y-%m-%dT%H:%M:%S").to_string())
            .map_err(|_| Mismatch::Time { format: self.format.clone(), example: self.example() })
    }

    /// 18 March 2026, 07:30, in this format.
    fn example(&self) -> String {
        let mut example = String::new();
        let sample = NaiveDate::from_ymd_opt(2026, 3, 18).and_then(|day| day.and_hms_opt(7, 30, 0));
        // Only the parts checked above are in the format: writing cannot fail.
        if let Some(sample) = sample {
            let _ = write!(example, "{}", sample.format(&self.format));
        }
        example
    }
}

impl Mismatch {
    /// The problem and its fix, in `lang`, for the file's `column`.
    pub fn explain(&self, column: &str, lang: Lang) -> (String, String) {
        let nl = lang == Lang::Nl;
        match self {
            Mismatch::Pattern(pattern) if nl => (
                format!("kolom \"{column}\" past niet bij het patroon \"{pattern}\" van de mapping"),
                "verbeter de waarde, of het patroon in de mapping zodat zijn groep het deel vangt dat telt"
                    .into(),
            ),
            Mismatch::Pattern(pattern) => (
                format!("column \"{column}\" does not match the mapping's pattern \"{pattern}\""),
                "correct the value, or the mapping's pattern so that its group captures the part that counts"
                    .into(),
            ),
            Mismatch::NotInMap(values) => {
                let values = values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ");
                if nl {
                    (
                        format!("kolom \"{column}\" heeft een waarde die de map van de mapping niet kent"),
                        format!("gebruik een van: {values}, of voeg de waarde toe aan de map"),
                    )
                } else {
                    (
                        format!("column \"{column}\" has a value the mapping's map does not list"),
                        format!("use one of: {values}, or add the value to the map"),
                    )
                }
            }
            Mismatch::NotDigits { pad } if nl => (
                format!("kolom \"{column}\" is geen getal om aan te vullen tot {pad} cijfers"),
                "schrijf alleen cijfers, bijv. 14 of 0014".into(),
            ),
            Mismatch::NotDigits { pad } => (
                format!("column \"{column}\" is not a number to pad to {pad} digits"),
                "write digits only, e.g. 14 or 0014".into(),
            ),
            Mismatch::Time { format, example } if nl => (
                format!("kolom \"{column}\" is geen tijd in het formaat \"{format}\" van de mapping"),
                format!("schrijf de tijd zoals \"{example}\", of pas het formaat in de mapping aan"),
            ),
            Mismatch::Time { format, example } => (
                format!("column \"{column}\" is not a time in the mapping's format \"{format}\""),
                format!("write the time like \"{example}\", or change the mapping's format"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transform(toml: &str, is_time: bool) -> Result<Transform, String> {
        let file: ColumnFile = toml::from_str(toml).map_err(|e| e.to_string())?;
        Transform::parse(file, "field", is_time)
    }

    #[test]
    fn a_pattern_keeps_its_group_and_pad_and_prefix_make_a_code() {
        let number = transform("column = \"id\"\npattern = 'SB(\\d+)$'", false).unwrap();
        assert_eq!(number.apply(" 0014::SB100 "), Ok("100".into()));
        assert_eq!(number.apply("0014::100"), Err(Mismatch::Pattern("SB(\\d+)$".into())));
        assert_eq!(number.apply(""), Ok(String::new()), "an empty cell is for the rules");
        let code = transform("column = \"c\"\nprefix = \"GM\"\npad = 4", false).unwrap();
        assert_eq!(code.apply("14"), Ok("GM0014".into()));
        assert_eq!(code.apply("0014"), Ok("GM0014".into()));
        assert_eq!(code.apply("G14"), Err(Mismatch::NotDigits { pad: 4 }));
    }

    #[test]
    fn a_map_translates_values_without_regard_to_case() {
        let kind =
            transform("column = \"soort\"\nmap = { gewoon = \"regulier\", Mobiel = \"mobiel\" }", false)
                .unwrap();
        assert_eq!(kind.apply("Gewoon"), Ok("regulier".into()));
        assert_eq!(kind.apply("MOBIEL"), Ok("mobiel".into()));
        assert_eq!(kind.apply("apart"), Err(Mismatch::NotInMap(vec!["mobiel".into(), "gewoon".into()])));
    }

    #[test]
    fn times_are_read_in_their_format_on_their_day_or_the_polling_day() {
        let opens = transform("column = \"open\"\nformat = \"%d-%m-%Y %H:%M\"", true).unwrap();
        assert_eq!(opens.apply("18-03-2026 07:30"), Ok("2026-03-18T07:30:00".into()));
        let closes = transform("column = \"dicht\"\nformat = \"%H.%M\"\nday = 2026-03-18", true).unwrap();
        assert_eq!(closes.apply("21.00"), Ok("2026-03-18T21:00:00".into()));
        let Err(Mismatch::Time { example, .. }) = closes.apply("21:00") else { panic!("not this format") };
        assert_eq!(example, "07.30");
    }

    #[test]
    fn a_mapping_that_cannot_work_is_refused_with_what_to_write() {
        let refused = |toml: &str, is_time: bool| transform(toml, is_time).unwrap_err();
        assert!(refused("column = \"id\"\npattern = 'SB(\\d+'", false).contains("not a regular expression"));
        assert!(refused("column = \"id\"\npattern = 'SB\\d+'", false).contains("has 0 capture groups"));
        assert!(refused("column = \"id\"\npattern = '(S)(B)'", false).contains("has 2 capture groups"));
        assert!(refused("column = \"id\"\npatern = 'x'", false).contains("unknown field `patern`"));
        assert!(refused("column = \"c\"\npad = 0", false).contains("from 1 to 16"));
        assert!(refused("column = \"c\"\nmap = {}", false).contains("map is empty"));
        assert!(refused("column = \"c\"\nmap = { a = \"x\", A = \"y\" }", false).contains("twice"));
        assert!(refused("column = \"o\"\nformat = \"%H:%M\"", false).contains("not for field"));
        assert!(refused("column = \"o\"\nformat = \"%H:%M\"", true).contains("day = "));
        assert!(refused("column = \"o\"\nformat = \"%d-%m %H:%M\"", true).contains("part of a date"));
        assert!(refused("column = \"o\"\nformat = \"%Y-%m-%d\"", true).contains("no hour"));
        assert!(refused("column = \"o\"\nformat = \"%H:%M %z\"", true).contains("use only"));
        assert!(refused("column = \"o\"\nday = 2026-03-18", true).contains("time-only format"));
        let both = "column = \"o\"\nformat = \"%Y-%m-%d %H:%M\"\nday = 2026-03-18";
        assert!(refused(both, true).contains("has a date already"));
    }
}
