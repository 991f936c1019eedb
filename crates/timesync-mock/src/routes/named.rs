//! Activities and org roles: objects with a name and one slug, served the same way.

use axum::response::Response;

use super::identifier;
use crate::error::ApiError;
use crate::http::{Req, deleted, ok};
use crate::state::{Shared, posted_object};
use crate::store::{
    Named, Record, SlugObjectOut, Store, new_uuid, slug_index, slug_object_out, today,
};
use crate::validate::{Fields, is_slug};

const FIELDS: &[&str] = &["name", "slug"];

/// What differs between activities and org roles.
pub(super) struct Kind {
    /// The name in error texts: `activity`, `org role`.
    pub(super) name: &'static str,
    /// The plural in error texts: `activities`, `org roles`.
    pub(super) plural: &'static str,
    pub(super) records: fn(&Store) -> &Vec<Record<Named>>,
    pub(super) records_mut: fn(&mut Store) -> &mut Vec<Record<Named>>,
    /// Whether a live object refers to the one with this uuid (then it cannot be deleted).
    pub(super) in_use: fn(&Store, &str) -> bool,
    /// Whether names must be unique (activities: even among deleted ones, as in the reference).
    pub(super) unique_names: bool,
}

/// `GET /things` with `include_deleted`, `include_revisions`, `skip` and `limit`.
pub(super) fn list(
    kind: &Kind,
    shared: &Shared,
    store: &Store,
    req: &Req,
) -> Result<Response, ApiError> {
    shared.query_user(store, &req.query)?;
    let include_deleted = req.query.flag("include_deleted")?;
    let include_revisions = req.query.flag("include_revisions")?;
    let matching = (kind.records)(store)
        .iter()
        .filter(|record| include_deleted || record.is_live());
    let objects: Vec<SlugObjectOut> = shared
        .page(&req.query, matching)?
        .map(|record| slug_object_out(record, include_revisions))
        .collect();
    Ok(ok(&objects))
}

/// `GET /things/:slug`.
pub(super) fn get(
    kind: &Kind,
    shared: &Shared,
    store: &Store,
    req: &Req,
) -> Result<Response, ApiError> {
    shared.query_user(store, &req.query)?;
    let slug = identifier(req, "slug", is_slug)?;
    let include_revisions = req.query.flag("include_revisions")?;
    let records = (kind.records)(store);
    let index = slug_index(records, slug).ok_or_else(|| ApiError::not_found(kind.name))?;
    Ok(ok(&slug_object_out(&records[index], include_revisions)))
}

/// `POST /things`: site managers and admins.
pub(super) fn create(
    kind: &Kind,
    shared: &Shared,
    store: &mut Store,
    req: &Req,
) -> Result<Response, ApiError> {
    let body = req.json()?;
    let actor = shared.body_user(store, &body)?;
    if !actor.manages_site() {
        return Err(ApiError::authorization(
            &actor.username,
            &format!("create {}", kind.plural),
        ));
    }
    let fields = Fields::new(kind.name, posted_object(&body)?, FIELDS)?;
    let name = fields.req_string("name")?;
    fields.req_string("slug")?;
    let slug = fields.slug("slug")?.unwrap_or_default();
    check_name(kind, store, name, None)?;
    check_slug(kind, store, slug, None)?;

    let record = Record::new(
        new_uuid(),
        today(),
        Named {
            name: name.to_owned(),
            slug: Some(slug.to_owned()),
        },
    );
    let out = slug_object_out(&record, false);
    (kind.records_mut)(store).push(record);
    Ok(ok(&out))
}

/// `POST /things/:slug`: site managers and admins; a new revision.
pub(super) fn update(
    kind: &Kind,
    shared: &Shared,
    store: &mut Store,
    req: &Req,
) -> Result<Response, ApiError> {
    let body = req.json()?;
    let actor = shared.body_user(store, &body)?;
    let slug = identifier(req, "slug", is_slug)?;
    let index =
        slug_index((kind.records)(store), slug).ok_or_else(|| ApiError::not_found(kind.name))?;
    if !actor.manages_site() {
        return Err(ApiError::authorization(
            &actor.username,
            &format!("update {} {slug}", kind.name),
        ));
    }
    let fields = Fields::new(kind.name, posted_object(&body)?, FIELDS)?;
    let name = fields.string("name")?;
    let new_slug = fields.slug("slug")?;
    let uuid = (kind.records)(store)[index].uuid.clone();
    let mut object = (kind.records)(store)[index].data().clone();
    if let Some(name) = name {
        check_name(kind, store, name, Some(&uuid))?;
        object.name = name.to_owned();
    }
    if let Some(new_slug) = new_slug {
        check_slug(kind, store, new_slug, Some(&uuid))?;
        object.slug = Some(new_slug.to_owned());
    }

    let record = &mut (kind.records_mut)(store)[index];
    record.update(object, today());
    Ok(ok(&slug_object_out(record, false)))
}

/// `DELETE /things/:slug`: site managers and admins; refused (405) while in use; frees the slug.
pub(super) fn delete(
    kind: &Kind,
    shared: &Shared,
    store: &mut Store,
    req: &Req,
) -> Result<Response, ApiError> {
    let actor = shared.query_user(store, &req.query)?;
    let slug = identifier(req, "slug", is_slug)?;
    let index =
        slug_index((kind.records)(store), slug).ok_or_else(|| ApiError::not_found("slug"))?;
    if !actor.manages_site() {
        return Err(ApiError::authorization(
            &actor.username,
            &format!("delete {} {slug}", kind.name),
        ));
    }
    let uuid = (kind.records)(store)[index].uuid.clone();
    if (kind.in_use)(store, &uuid) {
        return Err(ApiError::method_not_allowed(kind.name));
    }
    let record = &mut (kind.records_mut)(store)[index];
    record.deleted_at = Some(today());
    for revision in &mut record.revisions {
        revision.data.slug = None;
    }
    Ok(deleted())
}

fn check_name(
    kind: &Kind,
    store: &Store,
    name: &str,
    own_uuid: Option<&str>,
) -> Result<(), ApiError> {
    let taken = kind.unique_names
        && (kind.records)(store)
            .iter()
            .any(|record| record.data().name == name && Some(record.uuid.as_str()) != own_uuid);
    if taken {
        Err(ApiError::invalid_field(
            kind.name,
            "name",
            "unique name",
            "name which already exists",
        ))
    } else {
        Ok(())
    }
}

fn check_slug(
    kind: &Kind,
    store: &Store,
    slug: &str,
    own_uuid: Option<&str>,
) -> Result<(), ApiError> {
    let records = (kind.records)(store);
    match slug_index(records, slug) {
        Some(index) if Some(records[index].uuid.as_str()) != own_uuid => {
            Err(ApiError::slugs_exist(vec![slug.to_owned()]))
        }
        _ => Ok(()),
    }
}
