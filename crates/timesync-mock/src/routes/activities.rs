//! `/activities` and `/activities/:slug`.

use axum::response::Response;

use super::named::{self, Kind};
use crate::error::ApiError;
use crate::http::Req;
use crate::state::Shared;
use crate::store::Store;

const ACTIVITY: Kind = Kind {
    name: "activity",
    plural: "activities",
    records: |store| &store.activities,
    records_mut: |store| &mut store.activities,
    in_use: |store, uuid| {
        let uuid = uuid.to_owned();
        store
            .times
            .iter()
            .any(|time| time.is_live() && time.data().activities.contains(&uuid))
            || store.projects.iter().any(|project| {
                project.is_live() && project.data().default_activity.as_ref() == Some(&uuid)
            })
    },
    unique_names: true,
};

/// `GET /activities`.
pub(super) fn list(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::list(&ACTIVITY, shared, store, req)
}

/// `GET /activities/:slug`.
pub(super) fn get(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::get(&ACTIVITY, shared, store, req)
}

/// `POST /activities`.
pub(super) fn create(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::create(&ACTIVITY, shared, store, req)
}

/// `POST /activities/:slug`.
pub(super) fn update(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::update(&ACTIVITY, shared, store, req)
}

/// `DELETE /activities/:slug`: refused while a live time or a project's default uses it.
pub(super) fn delete(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    named::delete(&ACTIVITY, shared, store, req)
}
