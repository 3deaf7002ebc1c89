//! Schema migrations, applied in order on every open. `PRAGMA user_version`
//! records how many have run, so each runs exactly once per database.

use rusqlite::Connection;

/// Append only: a migration that has shipped is never edited.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE elections (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        polling_date TEXT NOT NULL
    );
    CREATE TABLE municipalities (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL
    );
    -- One immutable upload of one municipality's stations for one election.
    CREATE TABLE dataset_versions (
        id INTEGER PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES elections (id),
        municipality_code TEXT NOT NULL REFERENCES municipalities (code),
        created_at TEXT NOT NULL,
        source TEXT NOT NULL,
        station_count INTEGER NOT NULL
    );
    CREATE TABLE stations (
        version_id INTEGER NOT NULL REFERENCES dataset_versions (id),
        position INTEGER NOT NULL,
        -- the typed station as JSON, and the record exactly as received
        station TEXT NOT NULL,
        source_record TEXT NOT NULL,
        PRIMARY KEY (version_id, position)
    );
    -- The version voters see, per election and municipality.
    CREATE TABLE published (
        election_id TEXT NOT NULL REFERENCES elections (id),
        municipality_code TEXT NOT NULL REFERENCES municipalities (code),
        version_id INTEGER NOT NULL REFERENCES dataset_versions (id),
        published_at TEXT NOT NULL,
        PRIMARY KEY (election_id, municipality_code)
    );
"];

pub fn run(connection: &mut Connection) -> rusqlite::Result<()> {
    let done: usize = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(sql)?;
        transaction.pragma_update(None, "user_version", index + 1)?;
        transaction.commit()?;
    }
    Ok(())
}
