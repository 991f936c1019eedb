//! `/projects` and `/projects/:slug`.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{Map, Value};

use super::identifier;
use crate::error::ApiError;
use crate::http::{Req, deleted, ok};
use crate::state::{Shared, posted_object};
use crate::store::{Project, ProjectOut, ProjectRoles, Record, Store, User, new_uuid, today};
use crate::validate::{Fields, is_slug, js_type};

const FIELDS: &[&str] = &["name", "slugs", "uri", "default_activity", "users"];

/// `GET /projects` with `user`, `include_deleted`, `include_revisions`, `skip` and `limit`.
pub(super) fn list(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    shared.query_user(store, &req.query)?;
    let users = req.query.all("user");
    if let Some(unknown) = users.iter().find(|name| store.user(name).is_none()) {
        return Err(ApiError::bad_query_value("user", unknown));
    }
    let include_deleted = req.query.flag("include_deleted")?;
    let include_revisions = req.query.flag("include_revisions")?;

    let matching = store
        .projects
        .iter()
        .filter(|record| include_deleted || record.is_live())
        .filter(|record| {
            users.is_empty()
                || record.data().users.iter().any(|(name, roles)| {
                    users.contains(&name.as_str())
                        && (roles.member || roles.spectator || roles.manager)
                })
        });
    let projects: Vec<ProjectOut> = shared
        .page(&req.query, matching)?
        .map(|record| store.project_out(record, include_revisions))
        .collect();
    Ok(ok(&projects))
}

/// `GET /projects/:slug`.
pub(super) fn get(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    shared.query_user(store, &req.query)?;
    let slug = identifier(req, "slug", is_slug)?;
    let include_revisions = req.query.flag("include_revisions")?;
    let index = store
        .project_index(slug)
        .ok_or_else(|| ApiError::not_found("project"))?;
    Ok(ok(
        &store.project_out(&store.projects[index], include_revisions)
    ))
}

/// `POST /projects`: site managers and admins.
pub(super) fn create(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let body = req.json()?;
    let actor = shared.body_user(store, &body)?;
    if !actor.manages_site() {
        return Err(ApiError::authorization(&actor.username, "create projects"));
    }
    let fields = Fields::new("project", posted_object(&body)?, FIELDS)?;
    let name = fields.req_string("name")?;
    fields.req_array("slugs")?;
    let mut project = Project {
        name: name.to_owned(),
        uri: None,
        slugs: Vec::new(),
        default_activity: None,
        users: BTreeMap::new(),
    };
    apply(store, &fields, &mut project, None)?;

    let record = Record::new(new_uuid(), today(), project);
    let out = store.project_out(&record, false);
    store.projects.push(record);
    Ok(ok(&out))
}

/// `POST /projects/:slug`: project managers, site managers and admins; a new revision.
/// `slugs` and `users`, when sent, replace the old ones.
pub(super) fn update(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let body = req.json()?;
    let actor = shared.body_user(store, &body)?;
    let slug = identifier(req, "slug", is_slug)?;
    let index = store
        .project_index(slug)
        .ok_or_else(|| ApiError::not_found("project"))?;
    check_manager(store, &actor, index, &format!("update project {slug}"))?;
    let fields = Fields::new("project", posted_object(&body)?, FIELDS)?;
    let mut project = store.projects[index].data().clone();
    if let Some(name) = fields.string("name")? {
        project.name = name.to_owned();
    }
    let uuid = store.projects[index].uuid.clone();
    apply(store, &fields, &mut project, Some(&uuid))?;

    store.projects[index].update(project, today());
    Ok(ok(&store.project_out(&store.projects[index], false)))
}

/// `DELETE /projects/:slug`: refused (405) while a live time uses the project; frees the slugs.
pub(super) fn delete(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let actor = shared.query_user(store, &req.query)?;
    let slug = identifier(req, "slug", is_slug)?;
    let index = store
        .project_index(slug)
        .ok_or_else(|| ApiError::not_found("slug"))?;
    check_manager(store, &actor, index, &format!("delete project {slug}"))?;
    let uuid = &store.projects[index].uuid;
    if store
        .times
        .iter()
        .any(|time| time.is_live() && &time.data().project == uuid)
    {
        return Err(ApiError::method_not_allowed("project"));
    }
    let record = &mut store.projects[index];
    record.deleted_at = Some(today());
    record.data_mut().slugs.clear();
    Ok(deleted())
}

fn check_manager(store: &Store, actor: &User, index: usize, action: &str) -> Result<(), ApiError> {
    let is_manager = store.projects[index]
        .data()
        .users
        .get(&actor.username)
        .is_some_and(|roles| roles.manager);
    if is_manager || actor.manages_site() {
        Ok(())
    } else {
        Err(ApiError::authorization(&actor.username, action))
    }
}

/// Checks and applies `slugs`, `uri`, `default_activity` and `users` (`own_uuid` is the
/// project being updated, whose slugs are not conflicts).
fn apply(
    store: &Store,
    fields: &Fields<'_>,
    project: &mut Project,
    own_uuid: Option<&str>,
) -> Result<(), ApiError> {
    let slugs = fields.slug_list("slugs")?;
    let uri = fields.uri("uri")?;
    let default_activity = fields.string("default_activity")?;
    let users = fields.object("users")?;

    if let Some(slugs) = slugs {
        if slugs.is_empty() {
            return Err(ApiError::invalid_field(
                "project",
                "slugs",
                "non-empty array of slugs",
                "empty array",
            ));
        }
        let taken: Vec<String> = slugs
            .iter()
            .filter(|slug| {
                store
                    .project_index(slug)
                    .is_some_and(|index| Some(store.projects[index].uuid.as_str()) != own_uuid)
            })
            .cloned()
            .collect();
        if !taken.is_empty() {
            return Err(ApiError::slugs_exist(taken));
        }
        project.slugs = slugs;
    }
    if let Some(uri) = uri {
        project.uri = Some(uri.to_owned());
    }
    match default_activity {
        None => {}
        Some("") => project.default_activity = None,
        Some(slug) => {
            let index = store
                .activity_index(slug)
                .ok_or_else(|| ApiError::invalid_foreign_key("project", "default_activity"))?;
            project.default_activity = Some(store.activities[index].uuid.clone());
        }
    }
    if let Some(users) = users {
        project.users = project_users(store, users)?;
    }
    Ok(())
}

/// Reads `{"username": {"member": bool, "spectator": bool, "manager": bool}}`.
fn project_users(
    store: &Store,
    users: &Map<String, Value>,
) -> Result<BTreeMap<String, ProjectRoles>, ApiError> {
    let mut out = BTreeMap::new();
    for (username, roles) in users {
        let bad = |actual: &str| {
            ApiError::invalid_field(
                "project",
                "users",
                "object of usernames to member/spectator/manager booleans",
                actual,
            )
        };
        let roles = roles.as_object().ok_or_else(|| bad(js_type(roles)))?;
        let mut parsed = ProjectRoles::default();
        for (role, value) in roles {
            let value = value
                .as_bool()
                .ok_or_else(|| bad(&format!("{} for {role}", js_type(value))))?;
            match role.as_str() {
                "member" => parsed.member = value,
                "spectator" => parsed.spectator = value,
                "manager" => parsed.manager = value,
                other => return Err(bad(&format!("unknown role {other}"))),
            }
        }
        if store.live_user(username).is_none() {
            return Err(ApiError::invalid_foreign_key("project", "users"));
        }
        out.insert(username.clone(), parsed);
    }
    Ok(out)
}
