//! Schema migrations, applied in order on every open, the same ones for
//! both stores. SQLite's `PRAGMA user_version` and PostgreSQL's
//! `schema_migrations` record how many have run, so each runs exactly once
//! per database.

use rusqlite::Connection;

/// Append only: a migration that has shipped is never edited.
const MIGRATIONS: &[&str] = &[
    "
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
",
    "
    -- Elections know their kind (which sets where voters may vote) and the
    -- time zone of their opening times; existing ones get theirs from the id.
    ALTER TABLE elections ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
    ALTER TABLE elections ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Amsterdam';
    UPDATE elections SET kind = CASE
        WHEN id LIKE 'tk%' THEN 'tk' WHEN id LIKE 'ek%' THEN 'ek' WHEN id LIKE 'ps%' THEN 'ps'
        WHEN id LIKE 'ws%' THEN 'ws' WHEN id LIKE 'gr%' THEN 'gr' WHEN id LIKE 'ep%' THEN 'ep'
        WHEN id LIKE 'referendum%' THEN 'referendum' ELSE 'other' END;
    -- Municipal boundaries, one set per import; the newest set is in use and
    -- older ones stay.
    CREATE TABLE boundary_sets (
        id INTEGER PRIMARY KEY,
        imported_at TEXT NOT NULL,
        source TEXT NOT NULL
    );
    CREATE TABLE boundaries (
        set_id INTEGER NOT NULL REFERENCES boundary_sets (id),
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        -- GeoJSON MultiPolygon, WGS84 longitude/latitude
        area TEXT NOT NULL,
        PRIMARY KEY (set_id, code)
    );
    -- Names and postcodes with a point, supplied by the operator for
    -- offline geocoding; each import replaces the previous entries.
    CREATE TABLE gazetteer (
        name TEXT PRIMARY KEY,
        lat REAL NOT NULL,
        lon REAL NOT NULL,
        imported_at TEXT NOT NULL
    );
",
    "
    -- Days before polling day on which stations may open, comma-separated.
    ALTER TABLE elections ADD COLUMN early_voting TEXT NOT NULL DEFAULT '';
",
    "
    -- Tokens with which vendor systems upload one municipality's stations;
    -- only a hash of each is kept, and a revoked token stays, marked.
    CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        label TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    -- Who did what: token creation and use, uploads, publications.
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        municipality_code TEXT,
        detail TEXT NOT NULL
    );
",
    "
    -- Portal accounts. A user acts for the municipalities listed here (an
    -- admin for all); the password hash stays empty until the account is
    -- activated through its one-time link.
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT,
        admin INTEGER NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE user_municipalities (
        user_id INTEGER NOT NULL REFERENCES users (id),
        municipality_code TEXT NOT NULL,
        PRIMARY KEY (user_id, municipality_code)
    );
    -- Activation links and sessions: only hashes of their secrets are
    -- kept; times are RFC 3339 UTC, so they compare as text.
    CREATE TABLE activations (
        hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        csrf TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
",
    "
    -- Elections an admin closed to submissions after their deadline: from
    -- then on municipalities can look but not change.
    CREATE TABLE closed_elections (
        election_id TEXT PRIMARY KEY REFERENCES elections (id),
        closed_at TEXT NOT NULL,
        closed_by TEXT NOT NULL
    );
",
    "
    -- A second factor: the shared secret of the user's authenticator app
    -- (base32), and the last time step a code was accepted for, so that no
    -- code works twice.
    ALTER TABLE users ADD COLUMN totp_secret TEXT;
    ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
",
    "
    -- An attempt repeated within a short window (a sign-in the throttle
    -- refused) counts up one row: `repeat_key` names the attempt and its
    -- window, `times` counts, `last_at` is the latest. Other rows have no
    -- key, and NULL keys never clash.
    ALTER TABLE audit_log ADD COLUMN times INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE audit_log ADD COLUMN last_at TEXT;
    ALTER TABLE audit_log ADD COLUMN repeat_key TEXT;
    CREATE UNIQUE INDEX audit_log_repeats ON audit_log (repeat_key);
    -- The log is read a page at a time, newest first, often of one action.
    CREATE INDEX audit_log_actions ON audit_log (action, id);
",
    "
    -- An account can be disabled (its sessions end and it cannot sign in)
    -- and enabled again; and admins see when each one last signed in.
    ALTER TABLE users ADD COLUMN disabled_at TEXT;
    ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;
",
    "
    -- Issue 23, part 4: the change feed. One entry per publication, written
    -- once: the version that went live, the one it replaced, who published
    -- (portal, vendor-system, operator) and the diff summary as JSON.
    CREATE TABLE publications (
        id INTEGER PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES elections (id),
        municipality_code TEXT NOT NULL,
        municipality_name TEXT NOT NULL,
        version_id INTEGER NOT NULL UNIQUE REFERENCES dataset_versions (id),
        previous_version_id INTEGER,
        published_at TEXT NOT NULL,
        via TEXT NOT NULL,
        summary TEXT NOT NULL
    );
    CREATE INDEX publications_by_election ON publications (election_id, municipality_code, id);
    -- URLs that receive every entry of one election, signed with their
    -- secret; a removed one stays, marked, for its deliveries' history.
    CREATE TABLE webhooks (
        id INTEGER PRIMARY KEY,
        election_id TEXT NOT NULL,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        removed_at TEXT
    );
    -- Each entry to each webhook: pending until delivered or given up;
    -- `next_at` is when it is tried (again).
    CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY,
        webhook_id INTEGER NOT NULL REFERENCES webhooks (id),
        publication_id INTEGER NOT NULL REFERENCES publications (id),
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_at TEXT NOT NULL,
        last_error TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at);
",
    "
    -- Issue 23, part 1: voters' reports of a problem with a station, for
    -- the station's municipality. The station is named by id (and by name,
    -- as it was: it may go later); `version_id` is the version voters saw.
    -- Nothing of the voter but what they typed, and an e-mail address that
    -- is set to NULL when the report closes or grows old.
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES elections (id),
        municipality_code TEXT NOT NULL REFERENCES municipalities (code),
        station_id TEXT NOT NULL,
        station_name TEXT NOT NULL,
        version_id INTEGER REFERENCES dataset_versions (id),
        category TEXT NOT NULL,
        text TEXT NOT NULL,
        email TEXT,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        changed_at TEXT NOT NULL
    );
    -- A municipality's queue per election, newest first.
    CREATE INDEX reports_queue ON reports (municipality_code, election_id, id);
    -- The addresses still kept, by age, for the purge.
    CREATE INDEX reports_emails ON reports (created_at) WHERE email IS NOT NULL;
",
];

/// Brings an SQLite database up to date.
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

/// A migration as PostgreSQL runs it. The migrations are written in the
/// SQL both engines share; only SQLite's column types are spelt
/// PostgreSQL's way (its 64-bit integers, its doubles, and a generated key
/// for `INTEGER PRIMARY KEY`, which SQLite numbers by itself), and foreign
/// keys may be checked at commit, as SQLite's `defer_foreign_keys` does
/// for an import.
pub fn postgres_dialect(sql: &str) -> String {
    let typed = sql
        .replace("INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
        .replace(" INTEGER", " BIGINT")
        .replace(" REAL", " DOUBLE PRECISION");
    let mut out = String::with_capacity(typed.len());
    let mut rest = typed.as_str();
    while let Some(at) = rest.find("REFERENCES ") {
        // The reference ends with its column list's closing bracket.
        let end = rest[at..].find(')').map_or(rest.len(), |close| at + close + 1);
        out.push_str(&rest[..end]);
        out.push_str(" DEFERRABLE");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Brings a PostgreSQL database up to date, in one transaction: servers
/// that start together wait for each other on the lock, and the second
/// finds nothing left to do. How many migrations the database had run
/// before; more than this Kieskaart knows means a newer one wrote it, and
/// nothing is changed.
pub fn run_postgres(client: &mut postgres::Client) -> Result<usize, postgres::Error> {
    let mut transaction = client.transaction()?;
    transaction.batch_execute(
        "SELECT pg_advisory_xact_lock(8675309);
         CREATE TABLE IF NOT EXISTS schema_migrations (done BIGINT NOT NULL);
         INSERT INTO schema_migrations SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_migrations);",
    )?;
    let done: i64 = transaction.query_one("SELECT done FROM schema_migrations", &[])?.get(0);
    let done = usize::try_from(done).unwrap_or(usize::MAX);
    if done >= MIGRATIONS.len() {
        return Ok(done);
    }
    for sql in &MIGRATIONS[done..] {
        transaction.batch_execute(&postgres_dialect(sql))?;
    }
    transaction.execute("UPDATE schema_migrations SET done = $1", &[&(MIGRATIONS.len() as i64)])?;
    transaction.commit()?;
    Ok(done)
}

/// How many migrations this Kieskaart knows.
pub fn known() -> usize {
    MIGRATIONS.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_gets_its_own_types_and_nothing_else_changes() {
        let sql =
            "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL REFERENCES u (id), x REAL, s TEXT);";
        assert_eq!(
            postgres_dialect(sql),
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \
             n BIGINT NOT NULL REFERENCES u (id) DEFERRABLE, x DOUBLE PRECISION, s TEXT);"
        );
    }
}
