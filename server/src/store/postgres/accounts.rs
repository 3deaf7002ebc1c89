//! Portal accounts in PostgreSQL.

use super::Postgres;
use crate::store::{Accounts, SessionRow, StoreError, User};
use app::model::MunicipalityCode;
use chrono::Utc;
use postgres::types::ToSql;

impl Accounts for Postgres {
    fn create_user(
        &mut self,
        email: &str,
        admin: bool,
        municipalities: &[MunicipalityCode],
    ) -> Result<i64, StoreError> {
        self.in_transaction(|transaction| {
            let id: i64 = transaction
                .query_one(
                    "INSERT INTO users (email, admin, created_at) VALUES ($1, $2, $3) RETURNING id",
                    &[&email, &i64::from(admin), &Utc::now().to_rfc3339()],
                )?
                .get(0);
            for code in municipalities {
                transaction.execute(
                    "INSERT INTO user_municipalities (user_id, municipality_code) VALUES ($1, $2)
                     ON CONFLICT DO NOTHING",
                    &[&id, &code.as_str()],
                )?;
            }
            Ok(id)
        })
    }

    fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        self.user_where("id = $1", &id)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        self.user_where("email = $1", &email)
    }

    fn set_password(&mut self, user: i64, hash: &str) -> Result<(), StoreError> {
        self.execute("UPDATE users SET password_hash = $1 WHERE id = $2", &[&hash, &user])?;
        Ok(())
    }

    fn add_activation(
        &mut self,
        hash: &str,
        user: i64,
        now: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        self.execute("DELETE FROM activations WHERE expires_at <= $1", &[&now])?;
        self.execute(
            "INSERT INTO activations (hash, user_id, expires_at) VALUES ($1, $2, $3)",
            &[&hash, &user, &expires_at],
        )?;
        Ok(())
    }

    fn activation(&self, hash: &str, now: &str) -> Result<Option<i64>, StoreError> {
        let row = self.query_opt(
            "SELECT user_id FROM activations WHERE hash = $1 AND used_at IS NULL AND expires_at > $2",
            &[&hash, &now],
        )?;
        Ok(row.map(|row| row.get(0)))
    }

    fn use_activation(&mut self, hash: &str, now: &str) -> Result<Option<i64>, StoreError> {
        let row = self.query_opt(
            "UPDATE activations SET used_at = $2
             WHERE hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
            &[&hash, &now],
        )?;
        Ok(row.map(|row| row.get(0)))
    }

    fn add_session(&mut self, session: &SessionRow) -> Result<(), StoreError> {
        self.execute("DELETE FROM sessions WHERE expires_at <= $1", &[&session.created_at])?;
        self.execute(
            "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            &[&session.hash, &session.user, &session.csrf, &session.created_at, &session.expires_at],
        )?;
        Ok(())
    }

    fn session(&self, hash: &str, now: &str) -> Result<Option<SessionRow>, StoreError> {
        let row = self.query_opt(
            "SELECT hash, user_id, csrf, created_at, expires_at FROM sessions WHERE hash = $1 AND expires_at > $2",
            &[&hash, &now],
        )?;
        Ok(row.map(|row| SessionRow {
            hash: row.get(0),
            user: row.get(1),
            csrf: row.get(2),
            created_at: row.get(3),
            expires_at: row.get(4),
        }))
    }

    fn end_session(&mut self, hash: &str) -> Result<(), StoreError> {
        self.execute("DELETE FROM sessions WHERE hash = $1", &[&hash])?;
        Ok(())
    }

    fn end_sessions(&mut self, user: i64) -> Result<(), StoreError> {
        self.execute("DELETE FROM sessions WHERE user_id = $1", &[&user])?;
        Ok(())
    }

    fn set_totp(&mut self, user: i64, secret: &str) -> Result<(), StoreError> {
        self.execute(
            "UPDATE users SET totp_secret = $1, totp_last_step = NULL WHERE id = $2",
            &[&secret, &user],
        )?;
        Ok(())
    }

    fn use_totp_step(&mut self, user: i64, step: u64) -> Result<bool, StoreError> {
        let step = i64::try_from(step).map_err(|e| self.corrupt(e))?;
        let changed = self.execute(
            "UPDATE users SET totp_last_step = $2
             WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
            &[&user, &step],
        )?;
        Ok(changed == 1)
    }
}

impl Postgres {
    /// The one user `condition` (on `$1`) selects, with their municipalities.
    fn user_where(&self, condition: &str, key: &(dyn ToSql + Sync)) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT id, email, password_hash, admin, totp_secret FROM users WHERE {condition}");
        let Some(row) = self.query_opt(&sql, &[key])? else { return Ok(None) };
        let id: i64 = row.get(0);
        let municipalities = self
            .query(
                "SELECT municipality_code FROM user_municipalities WHERE user_id = $1 ORDER BY municipality_code",
                &[&id],
            )?
            .iter()
            .map(|code| self.municipality(code.get(0)))
            .collect::<Result<_, _>>()?;
        Ok(Some(User {
            id,
            email: row.get(1),
            password_hash: row.get(2),
            admin: row.get::<_, i64>(3) != 0,
            municipalities,
            totp_secret: row.get(4),
        }))
    }
}
