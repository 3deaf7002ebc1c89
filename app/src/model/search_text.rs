//! What a voter types to find a place, capped in length before anything
//! looks at it: the offline gazetteer compares it with every name it holds,
//! and an online geocoder is asked about it over the network, so a text
//! longer than any address only costs work and never finds anything.

/// The text of a search (`?q=` on the search pages and the API, the
/// portal's address field), trimmed and at most [`SearchText::MAX_CHARS`]
/// characters long. Empty when nothing was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText(String);

/// The text is longer than any address; the message says what to type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the text is longer than {max} characters: give a postcode, address or place", max = SearchText::MAX_CHARS)]
pub struct SearchTextTooLong;

impl SearchText {
    /// Longer than the longest Dutch address with municipality and
    /// postcode, and counted in characters, not bytes, so that a name
    /// written with accents gets as much room as one without.
    pub const MAX_CHARS: usize = 200;

    pub fn parse(text: &str) -> Result<Self, SearchTextTooLong> {
        let text = text.trim();
        // Stops at the first character past the cap: a text of megabytes
        // is refused as fast as one of 201 characters.
        if text.chars().nth(Self::MAX_CHARS).is_some() {
            return Err(SearchTextTooLong);
        }
        Ok(Self(text.to_owned()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

validated_text!(SearchText, SearchTextTooLong);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_counts_characters_after_trimming() {
        let longest = "é".repeat(SearchText::MAX_CHARS);
        assert_eq!(SearchText::parse(&format!("  {longest}\n")).unwrap().as_str(), longest);
        assert_eq!(SearchText::parse(&format!("{longest}e")), Err(SearchTextTooLong));
        assert!(SearchText::parse(" \t ").unwrap().is_empty());
    }
}
