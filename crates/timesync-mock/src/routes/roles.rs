//! `/users/org-roles` and `/users/org-roles/:slug` (in the spec; timesync-node 0.1.2 lacks them).

use axum::response::Response;

use super::named::{self, Kind};
use crate::error::ApiError;
use crate::http::Req;
use crate::state::Shared;
use crate::store::Store;

const ORG_ROLE: Kind = Kind {
    name: "org role",
    plural: "org roles",
    records: |store| &store.roles,
    records_mut: |store| &mut store.roles,
    in_use: |store, uuid| {
        store
            .users
            .iter()
            .any(|user| user.deleted_at.is_none() && user.org_roles.iter().any(|role| role == uuid))
    },
    unique_names: false,
};

/// `GET /users/org-roles`.
pub(super) fn list(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::list(&ORG_ROLE, shared, store, req)
}

/// `GET /users/org-roles/:slug`.
pub(super) fn get(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::get(&ORG_ROLE, shared, store, req)
}

/// `POST /users/org-roles`.
pub(super) fn create(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::create(&ORG_ROLE, shared, store, req)
}

/// `POST /users/org-roles/:slug`.
pub(super) fn update(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::update(&ORG_ROLE, shared, store, req)
}

/// `DELETE /users/org-roles/:slug`: refused while a live user holds the role.
pub(super) fn delete(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::delete(&ORG_ROLE, shared, store, req)
}
