//! Portal accounts in PostgreSQL.

use super::Postgres;
use crate::store::accounts::USER_COLUMNS;
use crate::store::{Accounts, Disabling, NewLink, SessionRow, StoreError, User};
use app::model::MunicipalityCode;
use chrono::Utc;
use postgres::types::ToSql;
use postgres::GenericClient;

/// Adds `municipalities` to those the user acts for.
fn add_municipalities(
    client: &mut impl GenericClient,
    user: i64,
    municipalities: &[MunicipalityCode],
) -> Result<(), postgres::Error> {
    for code in municipalities {
        client.execute(
            "INSERT INTO user_municipalities (user_id, municipality_code) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            &[&user, &code.as_str()],
        )?;
    }
    Ok(())
}

/// Forgets the activation links that expired by `now`, then adds one.
fn add_link(client: &mut impl GenericClient, user: i64, link: NewLink<'_>) -> Result<(), postgres::Error> {
    client.execute("DELETE FROM activations WHERE expires_at <= $1", &[&link.now])?;
    client.execute(
        "INSERT INTO activations (hash, user_id, expires_at) VALUES ($1, $2, $3)",
        &[&link.hash, &user, &link.expires_at],
    )?;
    Ok(())
}

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
            add_municipalities(transaction, id, municipalities)?;
            Ok(id)
        })
    }

    fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        Ok(self.users_where("id = $1", &[&id])?.pop())
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        Ok(self.users_where("email = $1", &[&email])?.pop())
    }

    fn users(&self) -> Result<Vec<User>, StoreError> {
        self.users_where("TRUE", &[])
    }

    fn set_password(&mut self, user: i64, hash: &str) -> Result<(), StoreError> {
        self.execute("UPDATE users SET password_hash = $1 WHERE id = $2", &[&hash, &user])?;
        Ok(())
    }

    fn add_activation(&mut self, user: i64, link: NewLink<'_>) -> Result<(), StoreError> {
        self.in_transaction(|transaction| add_link(transaction, user, link))
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
        self.in_transaction(|transaction| {
            transaction.execute("DELETE FROM sessions WHERE expires_at <= $1", &[&session.created_at])?;
            transaction.execute(
                "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                &[&session.hash, &session.user, &session.csrf, &session.created_at, &session.expires_at],
            )?;
            transaction.execute(
                "UPDATE users SET last_sign_in_at = $1 WHERE id = $2",
                &[&session.created_at, &session.user],
            )?;
            Ok(())
        })
    }

    fn session(&self, hash: &str, now: &str) -> Result<Option<SessionRow>, StoreError> {
        let row = self.query_opt(
            "SELECT s.hash, s.user_id, s.csrf, s.created_at, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
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

    fn end_other_sessions(&mut self, user: i64, keep: &str) -> Result<(), StoreError> {
        self.execute("DELETE FROM sessions WHERE user_id = $1 AND hash <> $2", &[&user, &keep])?;
        Ok(())
    }

    fn disable_user(&mut self, user: i64, now: &str) -> Result<Disabling, StoreError> {
        self.in_transaction(|transaction| {
            // The enabled admins' rows stay locked until commit: a second
            // disabling waits, then counts without the one disabled here.
            let admins: Vec<i64> = transaction
                .query(
                    "SELECT id FROM users WHERE admin <> 0 AND disabled_at IS NULL ORDER BY id FOR UPDATE",
                    &[],
                )?
                .iter()
                .map(|row| row.get(0))
                .collect();
            let admin = transaction
                .query_opt("SELECT admin FROM users WHERE id = $1 FOR UPDATE", &[&user])?
                .map(|row| row.get::<_, i64>(0) != 0);
            let decision = Disabling::decide(user, admin, &admins);
            if decision == Disabling::Done {
                transaction.execute(
                    "UPDATE users SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1",
                    &[&user, &now],
                )?;
                transaction.execute("DELETE FROM sessions WHERE user_id = $1", &[&user])?;
            }
            Ok(decision)
        })
    }

    fn enable_user(&mut self, user: i64) -> Result<bool, StoreError> {
        self.in_transaction(|transaction| {
            transaction.execute("DELETE FROM sessions WHERE user_id = $1", &[&user])?;
            Ok(transaction.execute("UPDATE users SET disabled_at = NULL WHERE id = $1", &[&user])? > 0)
        })
    }

    fn set_municipalities(
        &mut self,
        user: i64,
        municipalities: &[MunicipalityCode],
    ) -> Result<bool, StoreError> {
        self.in_transaction(|transaction| {
            if transaction.query_opt("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", &[&user])?.is_none() {
                return Ok(false);
            }
            transaction.execute("DELETE FROM user_municipalities WHERE user_id = $1", &[&user])?;
            add_municipalities(transaction, user, municipalities)?;
            Ok(true)
        })
    }

    fn reset_sign_in(
        &mut self,
        user: i64,
        second_factor: bool,
        link: NewLink<'_>,
    ) -> Result<bool, StoreError> {
        self.in_transaction(|transaction| {
            let changed = transaction.execute(
                "UPDATE users SET password_hash = NULL,
                     totp_secret = CASE WHEN $2 THEN NULL ELSE totp_secret END,
                     totp_last_step = CASE WHEN $2 THEN NULL ELSE totp_last_step END
                 WHERE id = $1",
                &[&user, &second_factor],
            )?;
            if changed == 0 {
                return Ok(false);
            }
            transaction.execute("DELETE FROM sessions WHERE user_id = $1", &[&user])?;
            transaction
                .execute("DELETE FROM activations WHERE user_id = $1 AND used_at IS NULL", &[&user])?;
            add_link(transaction, user, link)?;
            Ok(true)
        })
    }

    fn replace_totp(&mut self, user: i64, secret: Option<&str>, keep: &str) -> Result<(), StoreError> {
        self.in_transaction(|transaction| {
            transaction.execute(
                "UPDATE users SET totp_secret = $1, totp_last_step = NULL WHERE id = $2",
                &[&secret, &user],
            )?;
            transaction.execute("DELETE FROM sessions WHERE user_id = $1 AND hash <> $2", &[&user, &keep])?;
            Ok(())
        })
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
    /// The users `condition` (on `$1`) selects, by e-mail address, with
    /// their municipalities.
    fn users_where(&self, condition: &str, key: &[&(dyn ToSql + Sync)]) -> Result<Vec<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {condition} ORDER BY email");
        self.query(&sql, key)?
            .iter()
            .map(|row| {
                let id: i64 = row.get(0);
                let municipalities = self
                    .query(
                        "SELECT municipality_code FROM user_municipalities WHERE user_id = $1 ORDER BY municipality_code",
                        &[&id],
                    )?
                    .iter()
                    .map(|code| self.municipality(code.get(0)))
                    .collect::<Result<_, _>>()?;
                Ok(User {
                    id,
                    email: row.get(1),
                    password_hash: row.get(2),
                    admin: row.get::<_, i64>(3) != 0,
                    municipalities,
                    totp_secret: row.get(4),
                    disabled_at: row.get(5),
                    last_sign_in: row.get(6),
                })
            })
            .collect()
    }
}
