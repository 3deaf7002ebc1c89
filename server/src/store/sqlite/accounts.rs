//! Portal accounts in SQLite.

use super::{rows, sqlite, Sqlite};
use crate::store::{Accounts, SessionRow, StoreError, User};
use app::model::MunicipalityCode;
use chrono::Utc;
use rusqlite::{params, OptionalExtension};

impl Accounts for Sqlite {
    fn create_user(
        &mut self,
        email: &str,
        admin: bool,
        municipalities: &[MunicipalityCode],
    ) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let run = || -> rusqlite::Result<i64> {
            transaction.execute(
                "INSERT INTO users (email, admin, created_at) VALUES (?1, ?2, ?3)",
                params![email, admin, Utc::now().to_rfc3339()],
            )?;
            let id = transaction.last_insert_rowid();
            for code in municipalities {
                transaction.execute(
                    "INSERT OR IGNORE INTO user_municipalities (user_id, municipality_code) VALUES (?1, ?2)",
                    params![id, code.as_str()],
                )?;
            }
            Ok(id)
        };
        let id = run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(id)
    }

    fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        self.user_where("id = ?1", id)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        self.user_where("email = ?1", email)
    }

    fn set_password(&mut self, user: i64, hash: &str) -> Result<(), StoreError> {
        self.connection
            .execute("UPDATE users SET password_hash = ?1 WHERE id = ?2", params![hash, user])
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn add_activation(
        &mut self,
        hash: &str,
        user: i64,
        now: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        self.connection
            .execute("DELETE FROM activations WHERE expires_at <= ?1", [now])
            .map_err(|e| self.sqlite(e))?;
        self.connection
            .execute(
                "INSERT INTO activations (hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
                params![hash, user, expires_at],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn activation(&self, hash: &str, now: &str) -> Result<Option<i64>, StoreError> {
        self.connection
            .query_row(
                "SELECT user_id FROM activations WHERE hash = ?1 AND used_at IS NULL AND expires_at > ?2",
                params![hash, now],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))
    }

    fn use_activation(&mut self, hash: &str, now: &str) -> Result<Option<i64>, StoreError> {
        self.connection
            .query_row(
                "UPDATE activations SET used_at = ?2
                 WHERE hash = ?1 AND used_at IS NULL AND expires_at > ?2 RETURNING user_id",
                params![hash, now],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))
    }

    fn add_session(&mut self, session: &SessionRow) -> Result<(), StoreError> {
        self.connection
            .execute("DELETE FROM sessions WHERE expires_at <= ?1", [&session.created_at])
            .map_err(|e| self.sqlite(e))?;
        self.connection
            .execute(
                "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![session.hash, session.user, session.csrf, session.created_at, session.expires_at],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn session(&self, hash: &str, now: &str) -> Result<Option<SessionRow>, StoreError> {
        self.connection
            .query_row(
                "SELECT hash, user_id, csrf, created_at, expires_at FROM sessions WHERE hash = ?1 AND expires_at > ?2",
                params![hash, now],
                |row| {
                    Ok(SessionRow {
                        hash: row.get(0)?,
                        user: row.get(1)?,
                        csrf: row.get(2)?,
                        created_at: row.get(3)?,
                        expires_at: row.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sqlite(e))
    }

    fn end_session(&mut self, hash: &str) -> Result<(), StoreError> {
        self.connection
            .execute("DELETE FROM sessions WHERE hash = ?1", [hash])
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn end_sessions(&mut self, user: i64) -> Result<(), StoreError> {
        self.connection
            .execute("DELETE FROM sessions WHERE user_id = ?1", [user])
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn set_totp(&mut self, user: i64, secret: &str) -> Result<(), StoreError> {
        self.connection
            .execute(
                "UPDATE users SET totp_secret = ?1, totp_last_step = NULL WHERE id = ?2",
                params![secret, user],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn use_totp_step(&mut self, user: i64, step: u64) -> Result<bool, StoreError> {
        let changed = self
            .connection
            .execute(
                "UPDATE users SET totp_last_step = ?2
                 WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
                params![user, step as i64],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(changed == 1)
    }
}

impl Sqlite {
    /// The one user `condition` (on `?1`) selects, with their municipalities.
    fn user_where(&self, condition: &str, key: impl rusqlite::ToSql) -> Result<Option<User>, StoreError> {
        let row = self
            .connection
            .query_row(
                &format!("SELECT id, email, password_hash, admin, totp_secret FROM users WHERE {condition}"),
                [key],
                |row| Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
        let Some((id, email, password_hash, admin, totp_secret)) = row else { return Ok(None) };
        let mut municipalities = Vec::new();
        self.each_row_with(
            "SELECT municipality_code FROM user_municipalities WHERE user_id = ?1 ORDER BY municipality_code",
            [id],
            |row| row.get::<_, String>(0),
            |code| {
                municipalities.push(rows::municipality(&code).map_err(|e| self.corrupt(e))?);
                Ok(())
            },
        )?;
        Ok(Some(User { id, email, password_hash, admin, municipalities, totp_secret }))
    }
}
