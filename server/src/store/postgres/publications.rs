//! Publication times in PostgreSQL.

use super::Postgres;
use crate::store::publications::{parse_time, Publications};
use crate::store::StoreError;
use app::model::{ElectionId, MunicipalityCode};
use chrono::{DateTime, Utc};

impl Publications for Postgres {
    fn publication_times(
        &self,
        election: &ElectionId,
    ) -> Result<Vec<(MunicipalityCode, DateTime<Utc>)>, StoreError> {
        self.query(
            "SELECT municipality_code, published_at FROM published WHERE election_id = $1
             ORDER BY municipality_code",
            &[&election.as_str()],
        )?
        .iter()
        .map(|row| {
            let at = parse_time(row.get(1)).map_err(|e| self.corrupt(e))?;
            Ok((self.municipality(row.get(0))?, at))
        })
        .collect()
    }
}
