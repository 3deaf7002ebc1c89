//! Text as people and programs put it in station files: any characters
//! at all. Shared by the property tests of the whole import path
//! (`tests/any_text.rs`) and of the portal's report (`src/portal/pages.rs`
//! includes this file).

use proptest::prelude::*;

/// Up to `max` characters of any kind: ASCII, and characters of two, three
/// and four bytes in UTF-8, with whitespace and control characters among
/// them, so that code cutting text at a byte index cuts inside a
/// character sooner or later.
pub fn any_text(max: usize) -> impl Strategy<Value = String> {
    let character = prop_oneof![proptest::char::range(' ', '~'), wide_character(), any::<char>()];
    proptest::collection::vec(character, 0..=max).prop_map(String::from_iter)
}

/// A character of two, three or four bytes in UTF-8.
fn wide_character() -> impl Strategy<Value = char> {
    prop_oneof![
        proptest::char::range('\u{80}', '\u{7ff}'),
        proptest::char::range('\u{800}', '\u{d7ff}'),
        proptest::char::range('\u{10000}', '\u{10ffff}'),
    ]
}

/// Text with something besides whitespace in it, for fields a station
/// must have (its name).
pub fn some_text(max: usize) -> impl Strategy<Value = String> {
    any_text(max).prop_filter("a required field has text", |text| !text.trim().is_empty())
}

/// Postcodes the Dutch rules accept, as people type them: with or without
/// the space, in either case ("3421 CT", "3421ct").
#[allow(dead_code)] // each test binary uses what it needs
pub fn dutch_postcode() -> impl Strategy<Value = String> {
    (
        1000u32..=9999,
        proptest::char::range('A', 'Z'),
        proptest::char::range('A', 'Z'),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_filter("PostNL never gives SA, SD or SS", |(_, a, b, _, _)| !(*a == 'S' && "ADS".contains(*b)))
        .prop_map(|(area, a, b, space, lower)| {
            let letters: String = if lower {
                [a, b].iter().collect::<String>().to_lowercase()
            } else {
                [a, b].iter().collect()
            };
            format!("{area}{}{letters}", if space { " " } else { "" })
        })
}

/// Postcodes as typed: a Dutch one ("3421 CT"), anything at all, and
/// most often three or four digits followed by a character of several
/// bytes and a little more, "123éa" among them. Only a file whose
/// region is the world takes them all (a Dutch one refuses most).
#[allow(dead_code)] // each test binary uses what it needs
pub fn postcode() -> impl Strategy<Value = String> {
    let digits = |count| proptest::collection::vec(proptest::char::range('0', '9'), count);
    let letters = proptest::collection::vec(proptest::char::range('A', 'Z'), 2);
    prop_oneof![
        1 => (digits(4..=4), letters).prop_map(|(digits, letters)| {
            format!("{} {}", String::from_iter(digits), String::from_iter(letters))
        }),
        3 => (digits(3..=4), wide_character(), any_text(2)).prop_map(|(digits, wide, rest)| {
            format!("{}{wide}{rest}", String::from_iter(digits))
        }),
        1 => any_text(8),
    ]
}
