//! `/users` and `/users/:username`.

use axum::response::Response;
use serde_json::Value;

use super::identifier;
use crate::error::ApiError;
use crate::http::{Req, deleted, ok};
use crate::state::{Shared, posted_object};
use crate::store::{Store, User, UserOut, now_ms, today};
use crate::validate::{Fields, is_username, js_type};

const FIELDS: &[&str] = &[
    "username",
    "password",
    "display_name",
    "email",
    "site_spectator",
    "site_manager",
    "site_admin",
    "active",
    "meta",
    "org-roles",
];

/// A username that would be routed to `/users/org-roles` instead of to the user.
const RESERVED_USERNAME: &str = "org-roles";

/// `GET /users` with `include_deleted`, `role` (repeatable: any of), `skip` and `limit`.
pub(super) fn list(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    shared.query_user(store, &req.query)?;
    let include_deleted = req.query.flag("include_deleted")?;
    let mut roles = Vec::new();
    for slug in req.query.all("role") {
        let index = store
            .role_index(slug)
            .ok_or_else(|| ApiError::bad_query_value("role", slug))?;
        roles.push(store.roles[index].uuid.clone());
    }
    let matching = store
        .users
        .iter()
        .filter(|user| include_deleted || user.deleted_at.is_none())
        .filter(|user| roles.is_empty() || user.org_roles.iter().any(|role| roles.contains(role)));
    let users: Vec<UserOut> = shared
        .page(&req.query, matching)?
        .map(|user| store.user_out(user))
        .collect();
    Ok(ok(&users))
}

/// `GET /users/:username`; a deleted user only with `include_deleted=true`.
pub(super) fn get(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    shared.query_user(store, &req.query)?;
    let username = identifier(req, "username", is_username)?;
    let include_deleted = req.query.flag("include_deleted")?;
    let user = store
        .user(username)
        .filter(|user| include_deleted || user.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(ok(&store.user_out(user)))
}

/// `POST /users`: site admins and site managers; only admins make admins or managers.
pub(super) fn create(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let body = req.json()?;
    let actor = shared.body_user(store, &body)?;
    if !actor.manages_site() {
        return Err(ApiError::authorization(&actor.username, "create users"));
    }
    let fields = Fields::new("user", posted_object(&body)?, FIELDS)?;
    let username = fields.req_string("username")?;
    let password = fields.req_string("password")?;
    if !is_username(username) || username == RESERVED_USERNAME {
        return Err(ApiError::invalid_username(username));
    }
    if store.user(username).is_some() {
        return Err(ApiError::username_exists(username));
    }
    let now = now_ms();
    let mut user = User {
        username: username.to_owned(),
        password: password.to_owned(),
        display_name: None,
        email: None,
        site_spectator: false,
        site_manager: false,
        site_admin: false,
        active: true,
        meta: None,
        org_roles: Vec::new(),
        created_at: today(),
        updated_at: None,
        deleted_at: None,
    };
    apply(store, &actor, &fields, &mut user)?;

    let mut out = store.user_out(&user);
    // The reference answers a creation with `created_at` in epoch milliseconds.
    out.created_at = Value::from(now);
    store.users.push(user);
    Ok(ok(&out))
}

/// `POST /users/:username`: admins, site managers and the user themselves.
pub(super) fn update(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let body = req.json()?;
    let actor = shared.body_user(store, &body)?;
    let username = identifier(req, "username", is_username)?;
    let index = store
        .users
        .iter()
        .position(|user| user.username == username && user.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found("user"))?;
    if !actor.manages_site() && actor.username != username {
        return Err(ApiError::authorization(
            &actor.username,
            &format!("update user {username}"),
        ));
    }
    let fields = Fields::new("user", posted_object(&body)?, FIELDS)?;
    if let Some(sent) = fields.string("username")?
        && sent != username
    {
        return Err(ApiError::invalid_field("user", "username", username, sent));
    }
    let mut user = store.users[index].clone();
    if let Some(password) = fields.string("password")? {
        user.password = password.to_owned();
    }
    apply(store, &actor, &fields, &mut user)?;
    user.updated_at = Some(today());

    let out = store.user_out(&user);
    store.users[index] = user;
    Ok(ok(&out))
}

/// `DELETE /users/:username`: admins only; a soft delete (the username stays taken).
pub(super) fn delete(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let actor = shared.query_user(store, &req.query)?;
    let username = identifier(req, "username", is_username)?;
    let index = store
        .users
        .iter()
        .position(|user| user.username == username && user.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found("user"))?;
    if !actor.site_admin {
        return Err(ApiError::authorization(
            &actor.username,
            &format!("delete user {username}"),
        ));
    }
    store.users[index].deleted_at = Some(today());
    Ok(deleted())
}

/// Checks and applies every field but `username` and `password`, with the spec's limits:
/// only admins change `site_admin` and `site_manager`; admins and site managers change
/// `site_spectator`, `active` and `org-roles`; anyone allowed to update changes the rest.
fn apply(
    store: &Store,
    actor: &User,
    fields: &Fields<'_>,
    user: &mut User,
) -> Result<(), ApiError> {
    let display_name = fields.string("display_name")?;
    let email = fields.string("email")?;
    let meta = fields.string("meta")?;
    let site_spectator = fields.boolean("site_spectator")?;
    let site_manager = fields.boolean("site_manager")?;
    let site_admin = fields.boolean("site_admin")?;
    let active = fields.boolean("active")?;
    let org_roles = fields.array("org-roles")?;

    let changed = |new: Option<bool>, old: bool| new.is_some_and(|new| new != old);
    let guarded = [
        (
            "site_admin",
            changed(site_admin, user.site_admin),
            actor.site_admin,
        ),
        (
            "site_manager",
            changed(site_manager, user.site_manager),
            actor.site_admin,
        ),
        (
            "site_spectator",
            changed(site_spectator, user.site_spectator),
            actor.manages_site(),
        ),
        ("active", changed(active, user.active), actor.manages_site()),
    ];
    for (field, changed, allowed) in guarded {
        if changed && !allowed {
            return Err(not_allowed(actor, field, user));
        }
    }

    if let Some(roles) = org_roles {
        let mut uuids = Vec::with_capacity(roles.len());
        for role in roles {
            let slug = role.as_str().ok_or_else(|| {
                ApiError::invalid_field(
                    "user",
                    "org-roles",
                    "array of slugs",
                    &format!("array containing at least 1 {}", js_type(role)),
                )
            })?;
            let index = store
                .role_index(slug)
                .ok_or_else(|| ApiError::invalid_foreign_key("user", "org-roles"))?;
            let uuid = store.roles[index].uuid.clone();
            if !uuids.contains(&uuid) {
                uuids.push(uuid);
            }
        }
        if uuids != user.org_roles && !actor.manages_site() {
            return Err(not_allowed(actor, "org-roles", user));
        }
        user.org_roles = uuids;
    }
    if let Some(text) = display_name {
        user.display_name = Some(text.to_owned());
    }
    if let Some(text) = email {
        user.email = Some(text.to_owned());
    }
    if let Some(text) = meta {
        user.meta = Some(text.to_owned());
    }
    user.site_spectator = site_spectator.unwrap_or(user.site_spectator);
    user.site_manager = site_manager.unwrap_or(user.site_manager);
    user.site_admin = site_admin.unwrap_or(user.site_admin);
    user.active = active.unwrap_or(user.active);
    Ok(())
}

fn not_allowed(actor: &User, field: &str, user: &User) -> ApiError {
    ApiError::authorization(
        &actor.username,
        &format!("set the {field} field of user {}", user.username),
    )
}
