//! Portal accounts in SQLite.

use super::{rows, sqlite, Sqlite};
use crate::store::accounts::USER_COLUMNS;
use crate::store::{Accounts, Disabling, NewLink, SessionRow, StoreError, User};
use app::model::MunicipalityCode;
use chrono::Utc;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// Adds `municipalities` to those the user acts for.
fn add_municipalities(
    connection: &Connection,
    user: i64,
    municipalities: &[MunicipalityCode],
) -> rusqlite::Result<()> {
    for code in municipalities {
        connection.execute(
            "INSERT OR IGNORE INTO user_municipalities (user_id, municipality_code) VALUES (?1, ?2)",
            params![user, code.as_str()],
        )?;
    }
    Ok(())
}

/// Forgets the activation links that expired by `now`, then adds one.
fn add_link(connection: &Connection, user: i64, link: NewLink<'_>) -> rusqlite::Result<()> {
    connection.execute("DELETE FROM activations WHERE expires_at <= ?1", [link.now])?;
    connection.execute(
        "INSERT INTO activations (hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![link.hash, user, link.expires_at],
    )?;
    Ok(())
}

/// Reads a `users` row selected as [`USER_COLUMNS`], without its
/// municipalities.
fn user_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        email: row.get(1)?,
        password_hash: row.get(2)?,
        admin: row.get(3)?,
        municipalities: Vec::new(),
        totp_secret: row.get(4)?,
        disabled_at: row.get(5)?,
        last_sign_in: row.get(6)?,
    })
}

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
            add_municipalities(&transaction, id, municipalities)?;
            Ok(id)
        };
        let id = run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(id)
    }

    fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        Ok(self.users_where("id = ?1", [id])?.pop())
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        Ok(self.users_where("email = ?1", [email])?.pop())
    }

    fn users(&self) -> Result<Vec<User>, StoreError> {
        self.users_where("1 = 1", [])
    }

    fn set_password(&mut self, user: i64, hash: &str) -> Result<(), StoreError> {
        self.connection
            .execute("UPDATE users SET password_hash = ?1 WHERE id = ?2", params![hash, user])
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn add_activation(&mut self, user: i64, link: NewLink<'_>) -> Result<(), StoreError> {
        add_link(&self.connection, user, link).map_err(|e| self.sqlite(e))
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
        let path = self.path.clone();
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let run = || -> rusqlite::Result<()> {
            transaction.execute("DELETE FROM sessions WHERE expires_at <= ?1", [&session.created_at])?;
            transaction.execute(
                "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![session.hash, session.user, session.csrf, session.created_at, session.expires_at],
            )?;
            transaction.execute(
                "UPDATE users SET last_sign_in_at = ?1 WHERE id = ?2",
                params![session.created_at, session.user],
            )?;
            Ok(())
        };
        run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))
    }

    fn session(&self, hash: &str, now: &str) -> Result<Option<SessionRow>, StoreError> {
        self.connection
            .query_row(
                "SELECT s.hash, s.user_id, s.csrf, s.created_at, s.expires_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.hash = ?1 AND s.expires_at > ?2 AND u.disabled_at IS NULL",
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

    fn end_other_sessions(&mut self, user: i64, keep: &str) -> Result<(), StoreError> {
        self.connection
            .execute("DELETE FROM sessions WHERE user_id = ?1 AND hash <> ?2", params![user, keep])
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    fn disable_user(&mut self, user: i64, now: &str) -> Result<Disabling, StoreError> {
        let path = self.path.clone();
        // Immediate: the write lock is held from the first read, so the
        // admins counted are still the admins when the row is written.
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sqlite(&path, e))?;
        let run = || -> rusqlite::Result<Disabling> {
            let admin: Option<bool> = transaction
                .query_row("SELECT admin FROM users WHERE id = ?1", [user], |row| row.get(0))
                .optional()?;
            let admins = transaction
                .prepare("SELECT id FROM users WHERE admin <> 0 AND disabled_at IS NULL ORDER BY id")?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            let decision = Disabling::decide(user, admin, &admins);
            if decision == Disabling::Done {
                transaction.execute(
                    "UPDATE users SET disabled_at = coalesce(disabled_at, ?2) WHERE id = ?1",
                    params![user, now],
                )?;
                transaction.execute("DELETE FROM sessions WHERE user_id = ?1", [user])?;
            }
            Ok(decision)
        };
        let decision = run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(decision)
    }

    fn enable_user(&mut self, user: i64) -> Result<bool, StoreError> {
        let path = self.path.clone();
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let run = || -> rusqlite::Result<bool> {
            transaction.execute("DELETE FROM sessions WHERE user_id = ?1", [user])?;
            Ok(transaction.execute("UPDATE users SET disabled_at = NULL WHERE id = ?1", [user])? > 0)
        };
        let exists = run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(exists)
    }

    fn set_municipalities(
        &mut self,
        user: i64,
        municipalities: &[MunicipalityCode],
    ) -> Result<bool, StoreError> {
        let path = self.path.clone();
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let run = || -> rusqlite::Result<bool> {
            let exists: bool = transaction.query_row(
                "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)",
                [user],
                |row| row.get(0),
            )?;
            if exists {
                transaction.execute("DELETE FROM user_municipalities WHERE user_id = ?1", [user])?;
                add_municipalities(&transaction, user, municipalities)?;
            }
            Ok(exists)
        };
        let exists = run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(exists)
    }

    fn reset_sign_in(
        &mut self,
        user: i64,
        second_factor: bool,
        link: NewLink<'_>,
    ) -> Result<bool, StoreError> {
        let path = self.path.clone();
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let run = || -> rusqlite::Result<bool> {
            let changed = transaction.execute(
                "UPDATE users SET password_hash = NULL,
                     totp_secret = CASE WHEN ?2 THEN NULL ELSE totp_secret END,
                     totp_last_step = CASE WHEN ?2 THEN NULL ELSE totp_last_step END
                 WHERE id = ?1",
                params![user, second_factor],
            )?;
            if changed == 0 {
                return Ok(false);
            }
            transaction.execute("DELETE FROM sessions WHERE user_id = ?1", [user])?;
            transaction.execute("DELETE FROM activations WHERE user_id = ?1 AND used_at IS NULL", [user])?;
            add_link(&transaction, user, link)?;
            Ok(true)
        };
        let reset = run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))?;
        Ok(reset)
    }

    fn replace_totp(&mut self, user: i64, secret: Option<&str>, keep: &str) -> Result<(), StoreError> {
        let path = self.path.clone();
        let transaction = self.connection.transaction().map_err(|e| sqlite(&path, e))?;
        let run = || -> rusqlite::Result<()> {
            transaction.execute(
                "UPDATE users SET totp_secret = ?1, totp_last_step = NULL WHERE id = ?2",
                params![secret, user],
            )?;
            transaction
                .execute("DELETE FROM sessions WHERE user_id = ?1 AND hash <> ?2", params![user, keep])?;
            Ok(())
        };
        run().map_err(|e| sqlite(&path, e))?;
        transaction.commit().map_err(|e| sqlite(&path, e))
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
    /// The users `condition` selects, by e-mail address, with their
    /// municipalities.
    fn users_where(&self, condition: &str, key: impl rusqlite::Params) -> Result<Vec<User>, StoreError> {
        let mut users = Vec::new();
        self.each_row_with(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE {condition} ORDER BY email"),
            key,
            user_row,
            |user| {
                users.push(user);
                Ok(())
            },
        )?;
        for user in &mut users {
            self.each_row_with(
                "SELECT municipality_code FROM user_municipalities WHERE user_id = ?1 ORDER BY municipality_code",
                [user.id],
                |row| row.get::<_, String>(0),
                |code| {
                    user.municipalities.push(rows::municipality(&code).map_err(|e| self.corrupt(e))?);
                    Ok(())
                },
            )?;
        }
        Ok(users)
    }
}
