//! The state one server shares between its connections and its [`MockServer`](crate::MockServer)
//! handle: the data, the token key, the paging mode and the pending faults.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::http::Query;
use crate::store::{Store, User, now_ms};
use crate::token::TokenKey;
use crate::{Fault, FaultCount, Paging};

/// The default `limit` of list endpoints in [`Paging::Spec`].
pub(crate) const DEFAULT_LIMIT: usize = 25;

/// Everything a running server shares.
#[derive(Debug)]
pub(crate) struct Shared {
    store: Mutex<Store>,
    key: Mutex<TokenKey>,
    token_lifetime: Duration,
    awkward_tokens: bool,
    paging: Mutex<Paging>,
    faults: Mutex<Vec<(Fault, FaultCount)>>,
    requests: AtomicUsize,
}

/// Locks a mutex; a panic elsewhere must not take the whole server down with it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn new(
        store: Store,
        token_lifetime: Duration,
        awkward_tokens: bool,
        paging: Paging,
    ) -> Shared {
        Shared {
            store: Mutex::new(store),
            key: Mutex::new(TokenKey::random()),
            token_lifetime,
            awkward_tokens,
            paging: Mutex::new(paging),
            faults: Mutex::new(Vec::new()),
            requests: AtomicUsize::new(0),
        }
    }

    /// The data, locked. Never hold it across an `.await`.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// A new token for `username`.
    pub(crate) fn issue_token(&self, username: &str) -> String {
        let lifetime = u64::try_from(self.token_lifetime.as_millis()).unwrap_or(u64::MAX);
        lock(&self.key).issue(username, now_ms(), lifetime, self.awkward_tokens)
    }

    /// Makes every token issued so far invalid, as a restart of the reference does.
    pub(crate) fn revoke_tokens(&self) {
        *lock(&self.key) = TokenKey::random();
    }

    /// The live user a token belongs to.
    pub(crate) fn token_user(&self, store: &Store, token: &str) -> Result<User, ApiError> {
        let username = lock(&self.key).verify(token, now_ms());
        username
            .and_then(|username| store.live_user(&username).cloned())
            .ok_or_else(|| ApiError::authentication("Bad API token"))
    }

    /// The user of a GET or DELETE: the `token` query parameter.
    pub(crate) fn query_user(&self, store: &Store, query: &Query) -> Result<User, ApiError> {
        match query.first("token") {
            None | Some("") => Err(ApiError::authentication("Missing credentials")),
            Some(token) => self.token_user(store, token),
        }
    }

    /// The user of a POST: `{"auth": {"type": "token", "token": ...}}` in the body.
    pub(crate) fn body_user(
        &self,
        store: &Store,
        body: &Map<String, Value>,
    ) -> Result<User, ApiError> {
        let token = auth_field(body, "token", "token")?;
        self.token_user(store, token)
    }

    /// The current paging mode.
    pub(crate) fn paging(&self) -> Paging {
        *lock(&self.paging)
    }

    pub(crate) fn set_paging(&self, paging: Paging) {
        *lock(&self.paging) = paging;
    }

    /// Applies `skip` and `limit` to a list, as the paging mode says.
    ///
    /// Takes the matching records before they are turned into answers, so that only the
    /// page's records are.
    pub(crate) fn page<I: IntoIterator>(
        &self,
        query: &Query,
        items: I,
    ) -> Result<std::iter::Take<std::iter::Skip<I::IntoIter>>, ApiError> {
        let (skip, take) = self.window(query)?;
        Ok(items.into_iter().skip(skip).take(take))
    }

    /// How many objects to skip and how many to take, as the paging mode and the query say.
    fn window(&self, query: &Query) -> Result<(usize, usize), ApiError> {
        let cap = match self.paging() {
            Paging::IgnoreSkipLimit => return Ok((0, usize::MAX)),
            Paging::Spec => usize::MAX,
            Paging::Capped(cap) => cap.max(1),
        };
        let number = |name: &str, default: usize| match query.first(name) {
            None => Ok(default),
            Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(text.parse().unwrap_or(usize::MAX))
            }
            Some(text) => Err(ApiError::bad_query_value(name, text)),
        };
        let skip = number("skip", 0)?;
        let limit = match number("limit", DEFAULT_LIMIT)? {
            0 => usize::MAX,
            limit => limit,
        };
        Ok((skip, limit.min(cap)))
    }

    /// Counts a request and takes the fault it must suffer, if any.
    pub(crate) fn arrive(&self) -> Option<Fault> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let mut faults = lock(&self.faults);
        let (fault, count) = faults.first_mut()?;
        let fault = *fault;
        if let FaultCount::Next(left) = count {
            *left -= 1;
            if *left == 0 {
                faults.remove(0);
            }
        }
        Some(fault)
    }

    pub(crate) fn inject(&self, fault: Fault, count: FaultCount) {
        if count != FaultCount::Next(0) {
            lock(&self.faults).push((fault, count));
        }
    }

    pub(crate) fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    pub(crate) fn request_count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// The `object` of a POST body.
pub(crate) fn posted_object(body: &Map<String, Value>) -> Result<&Map<String, Value>, ApiError> {
    body.get("object")
        .and_then(Value::as_object)
        .ok_or_else(|| ApiError::bad_object("The request body is missing an object"))
}

/// The `auth` object of a request body, checked to be of type `kind`, and its string field
/// `field`: the reference's answers for a missing object, type or field, or another type.
pub(crate) fn auth_field<'b>(
    body: &'b Map<String, Value>,
    kind: &str,
    field: &str,
) -> Result<&'b str, ApiError> {
    let missing = || ApiError::authentication("Missing credentials");
    let auth = body
        .get("auth")
        .and_then(Value::as_object)
        .ok_or_else(missing)?;
    match auth.get("type") {
        None | Some(Value::Null) => {
            return Err(ApiError::authentication("Authentication type required"));
        }
        Some(Value::String(given)) if given == kind => {}
        Some(Value::String(given)) => return Err(ApiError::bad_auth_type(given)),
        Some(other) => return Err(ApiError::bad_auth_type(&other.to_string())),
    }
    auth.get(field).and_then(Value::as_str).ok_or_else(missing)
}
