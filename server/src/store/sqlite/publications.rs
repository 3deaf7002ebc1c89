//! Publication times in SQLite.

use super::Sqlite;
use crate::store::publications::{parse_time, Publications};
use crate::store::{rows, StoreError};
use app::model::{ElectionId, MunicipalityCode};
use chrono::{DateTime, Utc};
use rusqlite::params;

impl Publications for Sqlite {
    fn publication_times(
        &self,
        election: &ElectionId,
    ) -> Result<Vec<(MunicipalityCode, DateTime<Utc>)>, StoreError> {
        let mut times = Vec::new();
        self.each_row_with(
            "SELECT municipality_code, published_at FROM published WHERE election_id = ?1
             ORDER BY municipality_code",
            params![election.as_str()],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
            |(code, at)| {
                let at = parse_time(&at).map_err(|e| self.corrupt(e))?;
                times.push((rows::municipality(&code).map_err(|e| self.corrupt(e))?, at));
                Ok(())
            },
        )?;
        Ok(times)
    }
}
