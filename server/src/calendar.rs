//! The calendar file (iCalendar, RFC 5545) a voter downloads to put a
//! station's opening periods in their agenda (issue 23, part 3).
//!
//! Hand-written rather than a crate: the file is one calendar of a few
//! events with six kinds of property, and what matters (folding at 75
//! octets without cutting a character, escaping text so that a station
//! name cannot end a line or add a property) fits in a page that the
//! tests below pin down. Times are written in UTC: every calendar
//! program shows them in the reader's own zone, and no `VTIMEZONE` with
//! the rules of Amsterdam or Kralendijk has to be written out and kept
//! right. This module knows nothing of stations or HTTP; see
//! `http::calendar`.

use chrono::{DateTime, Utc};

/// One event: a station open for one period.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Unique for all time and all sites: a station's id in an election,
    /// at the site's host.
    pub uid: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub summary: String,
    /// The address, as a calendar shows it and a map program reads it.
    pub location: String,
    pub description: String,
    /// The station's page; built from checked parts, so a valid URI.
    pub url: String,
    /// Latitude and longitude.
    pub geo: (f64, f64),
}

/// The whole file, its lines ending in CRLF. `stamp` is when it was made
/// (`DTSTAMP`).
pub fn calendar(events: &[Event], stamp: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Kieskaart//Kieskaart//NL".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
    ];
    for event in events {
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", escape(&event.uid)),
            format!("DTSTAMP:{}", utc(stamp)),
            format!("DTSTART:{}", utc(event.starts)),
            format!("DTEND:{}", utc(event.ends)),
            format!("SUMMARY:{}", escape(&event.summary)),
            format!("LOCATION:{}", escape(&event.location)),
            format!("GEO:{:.6};{:.6}", event.geo.0, event.geo.1),
            format!("DESCRIPTION:{}", escape(&event.description)),
            format!("URL:{}", event.url),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line)).collect()
}

/// `20300320T063000Z`.
fn utc(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value (RFC 5545, 3.3.11): backslash, semicolon and comma
/// escaped, every line break written as `\n`, and other control
/// characters, which the format does not allow, left out.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => escaped.push_str("\\n"),
            '\t' => escaped.push('\t'),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// One content line, folded so that no line is longer than 75 octets
/// (RFC 5545, 3.1): a break is CRLF and a space, never inside a
/// character. Ends in CRLF.
fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let mut folded = String::with_capacity(line.len() + line.len() / LIMIT * 3 + 2);
    let mut length = 0;
    for c in line.chars() {
        if length + c.len_utf8() > LIMIT {
            folded.push_str("\r\n ");
            length = 1;
        }
        folded.push(c);
        length += c.len_utf8();
    }
    folded.push_str("\r\n");
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(summary: &str) -> Event {
        Event {
            uid: "demo-gm9999-5@kieskaart.nl".into(),
            starts: "2030-03-20T07:00:00Z".parse().unwrap(),
            ends: "2030-03-20T19:00:00Z".parse().unwrap(),
            summary: summary.into(),
            location: "Dorpsstraat 1, 9999 AA Demodorp".into(),
            description: "Neem uw stempas mee.".into(),
            url: "https://kieskaart.nl/s/demo/gm9999-5".into(),
            geo: (52.0942, 5.6494),
        }
    }

    /// The file's content lines, unfolded.
    fn unfolded(file: &str) -> Vec<String> {
        file.replace("\r\n ", "").split("\r\n").map(str::to_owned).collect()
    }

    #[test]
    fn a_calendar_of_one_event_in_utc_with_crlf_lines() {
        let file = calendar(&[event("Stemmen in De Linde")], "2030-03-18T11:00:00Z".parse().unwrap());
        assert!(file.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"), "{file}");
        assert!(file.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(!file.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
        let lines = unfolded(&file);
        for expected in [
            "UID:demo-gm9999-5@kieskaart.nl",
            "DTSTAMP:20300318T110000Z",
            "DTSTART:20300320T070000Z",
            "DTEND:20300320T190000Z",
            "SUMMARY:Stemmen in De Linde",
            "LOCATION:Dorpsstraat 1\\, 9999 AA Demodorp",
            "GEO:52.094200;5.649400",
            "URL:https://kieskaart.nl/s/demo/gm9999-5",
        ] {
            assert!(lines.iter().any(|line| line == expected), "{expected} in {lines:?}");
        }
    }

    #[test]
    fn markup_line_breaks_and_separators_in_a_name_stay_inside_its_value() {
        let name = "<b>Zaal</b>, \"A\"; B\\C\r\nEND:VEVENT\nX\rY\u{7}";
        let file = calendar(&[event(name)], Utc::now());
        let lines = unfolded(&file);
        let summary: Vec<_> = lines.iter().filter(|line| line.starts_with("SUMMARY:")).collect();
        assert_eq!(summary, ["SUMMARY:<b>Zaal</b>\\, \"A\"\\; B\\\\C\\nEND:VEVENT\\nX\\nY"]);
        assert_eq!(lines.iter().filter(|line| *line == "END:VEVENT").count(), 1, "no event ended early");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_cutting_a_character() {
        let name = "Stembureau ".to_owned() + &"é".repeat(100) + "€";
        let file = calendar(&[event(&name)], Utc::now());
        for line in file.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let summary = unfolded(&file).into_iter().find(|line| line.starts_with("SUMMARY:")).unwrap();
        assert_eq!(summary, format!("SUMMARY:{name}"), "unfolding gives the value back");
        assert_eq!(fold(&"a".repeat(75)), format!("{}\r\n", "a".repeat(75)), "75 octets fit");
        assert_eq!(fold(&"a".repeat(76)), format!("{}\r\n a\r\n", "a".repeat(75)));
    }
}
