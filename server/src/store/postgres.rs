//! PostgreSQL, the store several servers share: the same schema and
//! migrations as SQLite, one connection per [`Store`](super::Store), opened
//! again after the database went away. Every write that changes what voters
//! see sends a notification, at commit, so that every server following the
//! store rebuilds at once instead of at its next periodic look.

mod accounts;
mod audit;
mod changes;
mod import;
mod publications;
mod reports;

use super::rows::{self, ElectionRow, ELECTION_COLUMNS};
use super::{
    migrations, Backend, Closed, Import, PublishedElection, StoreError, StoredRecords, Tally, TokenInfo,
    VersionInfo,
};
use crate::geocode::OperatorEntry;
use crate::geography::MunicipalityArea;
use app::model::{Coordinates, Election, ElectionId, MunicipalityCode, MunicipalityRef};
use chrono::Utc;
use import::{PendingStations, PostgresImport};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row, Transaction};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::time::Duration;

/// The channel on which publications are announced.
const CHANNEL: &str = "kieskaart_published";

/// How long connecting may take before the store counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// `url` as it may be shown and logged: without its password.
pub fn without_password(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            // Only URLs without a host refuse this, and they hold no password.
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Err(_) => "(a postgres:// URL that does not parse)".to_owned(),
    }
}

/// What went wrong, in full: the client's own message says only "db
/// error" for what the server reported, and hides why a connection failed.
pub fn describe(error: &postgres::Error) -> String {
    if let Some(reported) = error.as_db_error() {
        return format!("{} ({}: {})", reported.message(), reported.severity(), reported.code().code());
    }
    match std::error::Error::source(error) {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}

/// A store in a PostgreSQL database.
pub struct Postgres {
    config: postgres::Config,
    /// The URL without its password, for messages.
    url: String,
    /// `None` until connected, and again after the connection broke.
    client: RefCell<Option<Client>>,
    /// Whether this connection listens for announcements.
    listening: Cell<bool>,
}

type Params<'a> = [&'a (dyn ToSql + Sync)];

impl Postgres {
    /// Connects and brings the schema up to date.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let shown = without_password(url);
        let mut config: postgres::Config = url.parse().map_err(|source| failed(&shown, source))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("kieskaart");
        let store = Self { config, url: shown, client: RefCell::new(None), listening: Cell::new(false) };
        let done = store.with(migrations::run_postgres)?;
        if done > migrations::known() {
            return Err(store.corrupt(format!(
                "{done} schema migrations ran, this version knows {}",
                migrations::known()
            )));
        }
        Ok(store)
    }

    fn error(&self, source: postgres::Error) -> StoreError {
        failed(&self.url, source)
    }

    fn corrupt(&self, detail: impl ToString) -> StoreError {
        StoreError::Corrupt { path: self.url.clone(), detail: detail.to_string() }
    }

    /// `client` if it is still open, else a new connection.
    fn connection(&self, client: Option<Client>) -> Result<Client, StoreError> {
        match client {
            Some(client) if !client.is_closed() => Ok(client),
            _ => {
                let client = self.config.connect(NoTls).map_err(|e| self.error(e))?;
                self.listening.set(false);
                Ok(client)
            }
        }
    }

    /// Runs `work` on the connection, connecting first when there is none
    /// or it broke.
    fn with<T>(&self, work: impl FnOnce(&mut Client) -> Result<T, postgres::Error>) -> Result<T, StoreError> {
        let mut slot = self.client.borrow_mut();
        let client = self.connection(slot.take())?;
        work(slot.insert(client)).map_err(|e| self.error(e))
    }

    /// Runs `work` in a transaction that commits when it succeeds.
    fn in_transaction<T>(
        &self,
        work: impl FnOnce(&mut Transaction<'_>) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        self.with(|client| {
            let mut transaction = client.transaction()?;
            let value = work(&mut transaction)?;
            transaction.commit()?;
            Ok(value)
        })
    }

    fn query(&self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>, StoreError> {
        self.with(|client| client.query(sql, params))
    }

    fn query_opt(&self, sql: &str, params: &Params<'_>) -> Result<Option<Row>, StoreError> {
        self.with(|client| client.query_opt(sql, params))
    }

    fn execute(&self, sql: &str, params: &Params<'_>) -> Result<u64, StoreError> {
        self.with(|client| client.execute(sql, params))
    }

    /// Each election that `sql` selects as [`ELECTION_COLUMNS`].
    fn election_rows(&self, sql: &str, params: &Params<'_>) -> Result<Vec<ElectionRow>, StoreError> {
        Ok(self.query(sql, params)?.iter().map(election_row).collect())
    }

    fn election_from(&self, row: ElectionRow) -> Result<Election, StoreError> {
        row.election().map_err(|e| self.corrupt(e))
    }

    fn municipality(&self, code: &str) -> Result<MunicipalityCode, StoreError> {
        rows::municipality(code).map_err(|e| self.corrupt(e))
    }

    /// The one user `condition` (on `$1`) selects, with their municipalities.
    fn token_info(&self, row: &Row) -> Result<TokenInfo, StoreError> {
        Ok(TokenInfo {
            id: row.get(0),
            municipality: self.municipality(row.get(1))?,
            label: row.get(2),
            created_at: row.get(3),
            revoked: row.get(4),
        })
    }

    /// The election's versions, or only the one with id `only`.
    fn versions_of(&self, election: &ElectionId, only: Option<i64>) -> Result<Vec<VersionInfo>, StoreError> {
        self.query(
            "SELECT v.id, v.municipality_code, v.created_at, v.source, v.station_count, p.version_id IS NOT NULL
             FROM dataset_versions v
             LEFT JOIN published p ON p.version_id = v.id
             WHERE v.election_id = $1 AND ($2::BIGINT IS NULL OR v.id = $2) ORDER BY v.id",
            &[&election.as_str(), &only],
        )?
        .iter()
        .map(|row| {
            Ok(VersionInfo {
                id: row.get(0),
                municipality: self.municipality(row.get(1))?,
                created_at: row.get(2),
                source: row.get(3),
                stations: usize::try_from(row.get::<_, i64>(4)).map_err(|e| self.corrupt(e))?,
                published: row.get(5),
            })
        })
        .collect()
    }
}

fn election_row(row: &Row) -> ElectionRow {
    ElectionRow {
        id: row.get(0),
        name: row.get(1),
        kind: row.get(2),
        polling_date: row.get(3),
        time_zone: row.get(4),
        early_voting: row.get(5),
    }
}

/// Tells every listening server that what voters see changed. Sent inside
/// a transaction, it is delivered when that commits, and not at all if it
/// does not.
fn announce(client: &mut impl GenericClient) -> Result<(), postgres::Error> {
    client.batch_execute(&format!("NOTIFY {CHANNEL}"))
}

fn write_election(client: &mut impl GenericClient, election: &Election) -> Result<u64, postgres::Error> {
    let row = ElectionRow::of(election);
    client.execute(
        "INSERT INTO elections (id, name, polling_date, kind, time_zone, early_voting)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, polling_date = excluded.polling_date,
             kind = excluded.kind, time_zone = excluded.time_zone, early_voting = excluded.early_voting",
        &[&row.id, &row.name, &row.polling_date, &row.kind, &row.time_zone, &row.early_voting],
    )
}

/// Makes `version` the one voters see for its election and municipality.
fn point_published_at(
    client: &mut impl GenericClient,
    version: i64,
    election: &str,
    now: &str,
) -> Result<u64, postgres::Error> {
    client.execute(
        "INSERT INTO published (election_id, municipality_code, version_id, published_at)
         SELECT election_id, municipality_code, id, $3 FROM dataset_versions
         WHERE id = $1 AND election_id = $2
         ON CONFLICT (election_id, municipality_code)
         DO UPDATE SET version_id = excluded.version_id, published_at = excluded.published_at",
        &[&version, &election, &now],
    )
}

/// Everything published, read in `transaction`. Stations are typed as they
/// arrive, so that a million of them are never held twice (as rows and as
/// stations). The inner error is what does not read as Kieskaart's data.
fn read_published(
    transaction: &mut Transaction<'_>,
) -> Result<Result<Vec<PublishedElection>, String>, postgres::Error> {
    let mut published = BTreeMap::new();
    for row in transaction.query(&format!("SELECT {ELECTION_COLUMNS} FROM elections ORDER BY id"), &[])? {
        let election = match election_row(&row).election() {
            Ok(election) => election,
            Err(problem) => return Ok(Err(problem)),
        };
        let entry = PublishedElection { election, versions: Vec::new(), stations: Vec::new() };
        published.insert(entry.election.id.to_string(), entry);
    }
    for row in transaction
        .query("SELECT election_id, version_id FROM published ORDER BY election_id, municipality_code", &[])?
    {
        match rows::of_election(&mut published, row.get(0)) {
            Ok(election) => election.versions.push(row.get(1)),
            Err(problem) => return Ok(Err(problem)),
        }
    }
    let mut stations = transaction.query_raw(
        "SELECT p.election_id, s.station FROM published p
         JOIN stations s ON s.version_id = p.version_id
         ORDER BY p.election_id, p.municipality_code, s.position",
        std::iter::empty::<&str>(),
    )?;
    while let Some(row) = stations.next()? {
        let station = match rows::station(row.get(1)) {
            Ok(station) => station,
            Err(problem) => return Ok(Err(problem)),
        };
        match rows::of_election(&mut published, row.get(0)) {
            Ok(election) => election.stations.push(station),
            Err(problem) => return Ok(Err(problem)),
        }
    }
    Ok(Ok(published.into_values().collect()))
}

const TOKEN_COLUMNS: &str = "id, municipality_code, label, created_at, revoked_at IS NOT NULL";

impl Backend for Postgres {
    fn has_elections(&self) -> Result<bool, StoreError> {
        Ok(self.query_opt("SELECT 1 FROM elections LIMIT 1", &[])?.is_some())
    }

    fn election(&self, id: &ElectionId) -> Result<Option<Election>, StoreError> {
        let sql = format!("SELECT {ELECTION_COLUMNS} FROM elections WHERE id = $1");
        let row = self.election_rows(&sql, &[&id.as_str()])?.into_iter().next();
        row.map(|row| self.election_from(row)).transpose()
    }

    fn save_election(&mut self, election: &Election) -> Result<(), StoreError> {
        self.in_transaction(|transaction| {
            write_election(transaction, election)?;
            announce(transaction)
        })
    }

    fn elections(&self) -> Result<Vec<(Election, usize)>, StoreError> {
        let counts: BTreeMap<String, i64> = self
            .query(
                "SELECT p.election_id, sum(v.station_count)::BIGINT FROM published p
                 JOIN dataset_versions v ON v.id = p.version_id GROUP BY p.election_id",
                &[],
            )?
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let sql = format!("SELECT {ELECTION_COLUMNS} FROM elections ORDER BY id");
        self.election_rows(&sql, &[])?
            .into_iter()
            .map(|row| {
                let count = counts.get(&row.id).map_or(0, |&n| usize::try_from(n).unwrap_or_default());
                Ok((self.election_from(row)?, count))
            })
            .collect()
    }

    fn publication_state(&self) -> Result<String, StoreError> {
        let sql = format!("SELECT {ELECTION_COLUMNS} FROM elections ORDER BY id");
        let mut state: String = self.election_rows(&sql, &[])?.iter().map(ElectionRow::state).collect();
        for row in self.query(
            "SELECT election_id || ':' || municipality_code || '=' || version_id FROM published
             UNION ALL SELECT 'boundaries=' || max(id) FROM boundary_sets
             UNION ALL SELECT 'gazetteer=' || count(*) || '@' || max(imported_at) FROM gazetteer
             ORDER BY 1",
            &[],
        )? {
            state.push_str(row.get::<_, Option<&str>>(0).unwrap_or("-"));
            state.push(';');
        }
        Ok(state)
    }

    fn import_boundaries(&mut self, areas: &[MunicipalityArea], source: &str) -> Result<(), StoreError> {
        self.in_transaction(|transaction| {
            let set: i64 = transaction
                .query_one(
                    "INSERT INTO boundary_sets (imported_at, source) VALUES ($1, $2) RETURNING id",
                    &[&Utc::now().to_rfc3339(), &source],
                )?
                .get(0);
            let insert = transaction
                .prepare("INSERT INTO boundaries (set_id, code, name, area) VALUES ($1, $2, $3, $4)")?;
            for area in areas {
                let geometry = geojson::Geometry::from(&area.area).to_string();
                transaction.execute(
                    &insert,
                    &[&set, &area.municipality.code.as_str(), &area.municipality.name, &geometry],
                )?;
            }
            announce(transaction)
        })
    }

    fn import_gazetteer(&mut self, entries: &[OperatorEntry]) -> Result<(), StoreError> {
        self.in_transaction(|transaction| {
            transaction.batch_execute("DELETE FROM gazetteer")?;
            let insert = transaction.prepare(
                "INSERT INTO gazetteer (name, lat, lon, imported_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO UPDATE SET lat = excluded.lat, lon = excluded.lon",
            )?;
            let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
            for entry in entries {
                transaction.execute(&insert, &[&entry.name, &entry.point.lat(), &entry.point.lon(), &now])?;
            }
            announce(transaction)
        })
    }

    fn gazetteer(&self) -> Result<Vec<OperatorEntry>, StoreError> {
        self.query("SELECT name, lat, lon FROM gazetteer ORDER BY name", &[])?
            .iter()
            .map(|row| {
                let point = Coordinates::new(row.get(1), row.get(2)).map_err(|e| self.corrupt(e))?;
                Ok(OperatorEntry { name: row.get(0), point })
            })
            .collect()
    }

    fn boundaries(&self) -> Result<Vec<MunicipalityArea>, StoreError> {
        self.query(
            "SELECT code, name, area FROM boundaries WHERE set_id = (SELECT max(id) FROM boundary_sets) ORDER BY code",
            &[],
        )?
        .iter()
        .map(|row| {
            let code = self.municipality(row.get(0))?;
            let geometry: geojson::Geometry =
                row.get::<_, &str>(2).parse().map_err(|e: geojson::Error| self.corrupt(e))?;
            let area = geo::MultiPolygon::try_from(geometry).map_err(|e| self.corrupt(e))?;
            Ok(MunicipalityArea { municipality: MunicipalityRef { code, name: row.get(1) }, area })
        })
        .collect()
    }

    fn versions(&self, election: &ElectionId) -> Result<Vec<VersionInfo>, StoreError> {
        self.versions_of(election, None)
    }

    fn republish(&mut self, election: &ElectionId, version: i64) -> Result<Option<VersionInfo>, StoreError> {
        let now = Utc::now().to_rfc3339();
        let copy = self.in_transaction(|transaction| {
            let Some(copy) = transaction.query_opt(
                "INSERT INTO dataset_versions (election_id, municipality_code, created_at, source, station_count)
                 SELECT election_id, municipality_code, $3, 'copy of version ' || id || ': ' || source, station_count
                 FROM dataset_versions WHERE id = $1 AND election_id = $2 RETURNING id",
                &[&version, &election.as_str(), &now],
            )?
            else {
                return Ok(None);
            };
            let copy: i64 = copy.get(0);
            transaction.execute(
                "INSERT INTO stations (version_id, position, station, source_record)
                 SELECT $1, position, station, source_record FROM stations WHERE version_id = $2",
                &[&copy, &version],
            )?;
            point_published_at(transaction, copy, election.as_str(), &now)?;
            announce(transaction)?;
            Ok(Some(copy))
        })?;
        match copy {
            Some(copy) => Ok(self.versions_of(election, Some(copy))?.pop()),
            None => Ok(None),
        }
    }

    fn begin_import(&mut self, election: &ElectionId, source: &str) -> Result<Import<'_>, StoreError> {
        let url = self.url.clone();
        let client = self.connection(self.client.take())?;
        let client = self.client.get_mut().insert(client);
        let mut transaction = client.transaction().map_err(|e| failed(&url, e))?;
        // A new election's row is written at commit, once its polling day
        // is known from the stations.
        transaction.batch_execute("SET CONSTRAINTS ALL DEFERRED").map_err(|e| failed(&url, e))?;
        Ok(Box::new(PostgresImport {
            transaction,
            url,
            tally: Tally::new(election, source),
            pending: PendingStations::default(),
        }))
    }

    fn records(
        &self,
        versions: &[i64],
        municipality: Option<&MunicipalityCode>,
    ) -> Result<StoredRecords, StoreError> {
        let mut records = StoredRecords::default();
        for &version in versions {
            let Some(row) = self.query_opt(
                "SELECT municipality_code, created_at FROM dataset_versions WHERE id = $1",
                &[&version],
            )?
            else {
                return Err(self.corrupt(format!("no dataset version {version}")));
            };
            if municipality.is_some_and(|wanted| wanted.as_str() != row.get::<_, &str>(0)) {
                continue;
            }
            records.saw_version(row.get(1)).map_err(|e| self.corrupt(e))?;
            for row in self.query(
                "SELECT station, source_record FROM stations WHERE version_id = $1 ORDER BY position",
                &[&version],
            )? {
                records.push(row.get(0), row.get(1)).map_err(|e| self.corrupt(e))?;
            }
        }
        Ok(records)
    }

    fn published(&self) -> Result<Vec<PublishedElection>, StoreError> {
        // One snapshot for the three reads, so that a publication that
        // commits in between is seen whole or not at all.
        let read = self.with(|client| {
            let mut transaction = client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let read = read_published(&mut transaction)?;
            transaction.commit()?;
            Ok(read)
        })?;
        read.map_err(|e| self.corrupt(e))
    }

    fn create_token(
        &mut self,
        municipality: &MunicipalityCode,
        label: &str,
        hash: &str,
    ) -> Result<i64, StoreError> {
        let row = self.with(|client| {
            client.query_one(
                "INSERT INTO api_tokens (municipality_code, label, hash, created_at) VALUES ($1, $2, $3, $4)
                 RETURNING id",
                &[&municipality.as_str(), &label, &hash, &Utc::now().to_rfc3339()],
            )
        })?;
        Ok(row.get(0))
    }

    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>, StoreError> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE hash = $1");
        self.query_opt(&sql, &[&hash])?.map(|row| self.token_info(&row)).transpose()
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id");
        self.query(&sql, &[])?.iter().map(|row| self.token_info(row)).collect()
    }

    fn revoke_token(&mut self, id: i64) -> Result<bool, StoreError> {
        let changed = self.execute(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2",
            &[&Utc::now().to_rfc3339(), &id],
        )?;
        Ok(changed > 0)
    }

    fn publish(&mut self, election: &ElectionId, version: i64) -> Result<Option<VersionInfo>, StoreError> {
        let now = Utc::now().to_rfc3339();
        let moved = self.in_transaction(|transaction| {
            let moved = point_published_at(transaction, version, election.as_str(), &now)?;
            announce(transaction)?;
            Ok(moved)
        })?;
        if moved == 0 {
            return Ok(None);
        }
        Ok(self.versions_of(election, Some(version))?.pop())
    }

    fn municipality_name(&self, code: &MunicipalityCode) -> Result<Option<String>, StoreError> {
        let row = self.query_opt(
            "SELECT name FROM municipalities WHERE code = $1 AND name <> code
             UNION ALL SELECT name FROM boundaries WHERE code = $1 LIMIT 1",
            &[&code.as_str()],
        )?;
        Ok(row.map(|row| row.get(0)))
    }

    fn municipalities(&self) -> Result<Vec<MunicipalityRef>, StoreError> {
        self.query(
            "SELECT code, name FROM municipalities
             UNION SELECT code, name FROM boundaries
             WHERE set_id = (SELECT max(id) FROM boundary_sets) AND code NOT IN (SELECT code FROM municipalities)
             ORDER BY code",
            &[],
        )?
        .iter()
        .map(|row| Ok(MunicipalityRef { code: self.municipality(row.get(0))?, name: row.get(1) }))
        .collect()
    }

    fn set_closed(&mut self, election: &ElectionId, by: Option<&str>) -> Result<(), StoreError> {
        match by {
            Some(by) => self.execute(
                "INSERT INTO closed_elections (election_id, closed_at, closed_by) VALUES ($1, $2, $3)
                 ON CONFLICT (election_id) DO NOTHING",
                &[&election.as_str(), &Utc::now().to_rfc3339(), &by],
            ),
            None => {
                self.execute("DELETE FROM closed_elections WHERE election_id = $1", &[&election.as_str()])
            }
        }?;
        Ok(())
    }

    fn closed(&self, election: &ElectionId) -> Result<Option<Closed>, StoreError> {
        let row = self.query_opt(
            "SELECT closed_at, closed_by FROM closed_elections WHERE election_id = $1",
            &[&election.as_str()],
        )?;
        Ok(row.map(|row| Closed { at: row.get(0), by: row.get(1) }))
    }

    /// Listens on this connection (from its first wait on) and wakes on the
    /// first announcement, or after `timeout`.
    fn wait_for_change(&self, timeout: Duration) -> Result<(), StoreError> {
        self.with(|client| {
            if !self.listening.get() {
                client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
                self.listening.set(true);
            }
            let mut notifications = client.notifications();
            if notifications.timeout_iter(timeout).next()?.is_some() {
                // One rebuild answers every announcement so far.
                while notifications.iter().next()?.is_some() {}
            }
            Ok(())
        })
    }
}

/// A failure of the database at `url` (shown without its password).
fn failed(url: &str, source: postgres::Error) -> StoreError {
    StoreError::Postgres { url: url.to_owned(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_their_password() {
        assert_eq!(
            without_password("postgres://kieskaart:geheim@db:5432/kieskaart"),
            "postgres://kieskaart@db:5432/kieskaart"
        );
        assert_eq!(without_password("postgres://db/kieskaart"), "postgres://db/kieskaart");
        assert!(!without_password("postgres://a:geheim@[::1/x").contains("geheim"));
    }

    #[test]
    fn an_unreadable_url_is_refused_by_name_without_its_password() {
        let error =
            Postgres::open("postgres://kieskaart:geheim@db:notaport/kieskaart").err().expect("refused");
        let message = error.to_string();
        assert!(message.contains("invalid value for option `port`"), "{message}");
        assert!(!message.contains("geheim"), "{message}");
    }
}
