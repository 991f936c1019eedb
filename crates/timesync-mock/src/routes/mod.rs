//! The `/v0` endpoints.
//!
//! Every endpoint but login is a plain function over the locked store, so that a request sees
//! and changes the data atomically.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::ApiError;
use crate::http::{RawPath, Req, express_not_found, ok};
use crate::state::Shared;
use crate::store::Store;

mod activities;
mod named;
mod projects;
mod roles;
mod times;
mod users;

/// An endpoint: reads the request, changes the store, answers.
type Endpoint = fn(&Shared, &mut Store, &Req) -> Result<Response, ApiError>;

/// Turns an [`Endpoint`] into an axum handler.
macro_rules! endpoint {
    ($function:path) => {
        |State(shared): State<Arc<Shared>>, request: Request| run(shared, request, $function)
    };
}

/// The routes of the API; anything else gets Express's 404 page.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v0/login", post(login))
        .route(
            "/v0/times",
            get(endpoint!(times::list)).post(endpoint!(times::create)),
        )
        .route(
            "/v0/times/{uuid}",
            get(endpoint!(times::get))
                .post(endpoint!(times::update))
                .delete(endpoint!(times::delete)),
        )
        .route(
            "/v0/projects",
            get(endpoint!(projects::list)).post(endpoint!(projects::create)),
        )
        .route(
            "/v0/projects/{slug}",
            get(endpoint!(projects::get))
                .post(endpoint!(projects::update))
                .delete(endpoint!(projects::delete)),
        )
        .route(
            "/v0/activities",
            get(endpoint!(activities::list)).post(endpoint!(activities::create)),
        )
        .route(
            "/v0/activities/{slug}",
            get(endpoint!(activities::get))
                .post(endpoint!(activities::update))
                .delete(endpoint!(activities::delete)),
        )
        .route(
            "/v0/users",
            get(endpoint!(users::list)).post(endpoint!(users::create)),
        )
        .route(
            "/v0/users/org-roles",
            get(endpoint!(roles::list)).post(endpoint!(roles::create)),
        )
        .route(
            "/v0/users/org-roles/{slug}",
            get(endpoint!(roles::get))
                .post(endpoint!(roles::update))
                .delete(endpoint!(roles::delete)),
        )
        .route(
            "/v0/users/{username}",
            get(endpoint!(users::get))
                .post(endpoint!(users::update))
                .delete(endpoint!(users::delete)),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .with_state(shared)
}

async fn run(shared: Arc<Shared>, request: Request, endpoint: Endpoint) -> Response {
    let req = Req::read(request).await;
    let mut store = shared.store();
    endpoint(&shared, &mut store, &req).unwrap_or_else(IntoResponse::into_response)
}

async fn not_found(method: Method, request: Request) -> Response {
    let path = match request.extensions().get::<RawPath>() {
        Some(RawPath(path)) => path.clone(),
        None => request.uri().path().to_owned(),
    };
    express_not_found(&method, &path)
}

/// `POST /login`: a password login, answered with a token.
async fn login(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let req = Req::read(request).await;
    match password_login(&shared, &req).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn password_login(shared: &Shared, req: &Req) -> Result<Response, ApiError> {
    let body = req.json()?;
    let username = crate::state::auth_field(&body, "password", "username")?;
    let password = crate::state::auth_field(&body, "password", "password")?;

    let wrong = || ApiError::authentication("Incorrect username or password");
    let stored = shared
        .store()
        .live_user(username)
        .map(|user| user.password.clone());
    let stored = stored.ok_or_else(wrong)?;
    let password = password.to_owned();
    // bcrypt is slow on purpose: keep it off the thread that serves the connections. A stored
    // value that is not a bcrypt hash (a plain password sent on user creation) never matches.
    let valid =
        tokio::task::spawn_blocking(move || bcrypt::verify(password, &stored).unwrap_or(false))
            .await
            .unwrap_or(false);
    if !valid {
        return Err(wrong());
    }
    Ok(ok(
        &serde_json::json!({ "token": shared.issue_token(username) }),
    ))
}

/// The identifier of a `/things/:id` route, or the reference's 400 when it is malformed.
fn identifier<'r>(
    req: &'r Req,
    expected: &str,
    valid: fn(&str) -> bool,
) -> Result<&'r str, ApiError> {
    let id = req.last_segment.as_str();
    if valid(id) {
        Ok(id)
    } else {
        Err(ApiError::invalid_identifier(expected, id))
    }
}
