//! `/times` and `/times/:uuid`.

use axum::response::Response;

use super::identifier;
use crate::error::ApiError;
use crate::http::{Req, deleted, ok};
use crate::state::{Shared, posted_object};
use crate::store::{Record, Store, Time, TimeOut, User, new_uuid, today};
use crate::validate::{self, Fields, is_uuid, parse_date};

const FIELDS: &[&str] = &[
    "duration",
    "user",
    "project",
    "activities",
    "notes",
    "issue_uri",
    "date_worked",
];

/// `GET /times` with the `user`, `project`, `activity`, `start`, `end`, `include_deleted`,
/// `include_revisions`, `skip` and `limit` parameters.
pub(super) fn list(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let viewer = shared.query_user(store, &req.query)?;
    let query = &req.query;

    let users = query.all("user");
    if let Some(unknown) = users.iter().find(|name| store.user(name).is_none()) {
        return Err(ApiError::bad_query_value("user", unknown));
    }
    let mut projects = Vec::new();
    for slug in query.all("project") {
        let index = store
            .project_index(slug)
            .ok_or_else(|| ApiError::bad_query_value("project", slug))?;
        projects.push(store.projects[index].uuid.clone());
    }
    let mut activities = Vec::new();
    for slug in query.all("activity") {
        let index = store
            .activity_index(slug)
            .ok_or_else(|| ApiError::bad_query_value("activity", slug))?;
        activities.push(store.activities[index].uuid.clone());
    }
    let date = |name: &str| match query.first(name) {
        None => Ok(None),
        Some(text) => parse_date(text)
            .map(Some)
            .ok_or_else(|| ApiError::bad_query_value(name, text)),
    };
    let start = date("start")?;
    let end = date("end")?;
    let include_deleted = query.flag("include_deleted")?;
    let include_revisions = query.flag("include_revisions")?;

    let matching = store
        .times
        .iter()
        .filter(|record| include_deleted || record.is_live())
        .filter(|record| {
            let time = record.data();
            store.may_see_time(&viewer, time)
                && (users.is_empty() || users.contains(&time.user.as_str()))
                && (projects.is_empty() || projects.contains(&time.project))
                && (activities.is_empty() || time.activities.iter().any(|a| activities.contains(a)))
                && start
                    .as_ref()
                    .is_none_or(|start| &time.date_worked >= start)
                && end.as_ref().is_none_or(|end| &time.date_worked <= end)
        });
    let times: Vec<TimeOut> = shared
        .page(query, matching)?
        .map(|record| store.time_out(record, include_revisions))
        .collect();
    Ok(ok(&times))
}

/// `GET /times/:uuid`: only `include_deleted` and `include_revisions` apply.
pub(super) fn get(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let viewer = shared.query_user(store, &req.query)?;
    let uuid = identifier(req, "UUID", is_uuid)?;
    let include_deleted = req.query.flag("include_deleted")?;
    let include_revisions = req.query.flag("include_revisions")?;

    let record = store
        .time_index(uuid)
        .map(|index| &store.times[index])
        .filter(|record| include_deleted || record.is_live())
        .ok_or_else(|| ApiError::not_found("time"))?;
    if !store.may_see_time(&viewer, record.data()) {
        return Err(ApiError::authorization(
            &viewer.username,
            &format!("view time {}", record.uuid),
        ));
    }
    Ok(ok(&store.time_out(record, include_revisions)))
}

/// `POST /times`: members of the project (and site admins) log their own time.
pub(super) fn create(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let body = req.json()?;
    let actor = shared.body_user(store, &body)?;
    let fields = Fields::new("time", posted_object(&body)?, FIELDS)?;

    let duration = validate::duration("time", fields.req_number("duration")?)?;
    let project_slug = fields.req_string("project")?;
    let sent_activities = fields.array("activities")?;
    let user = fields.req_string("user")?;
    let issue_uri = fields.uri("issue_uri")?;
    let date_worked = fields.req_string("date_worked")?;
    let notes = fields.string("notes")?;
    fields.slug("project")?;
    let activity_slugs = fields.slug_list("activities")?.unwrap_or_default();
    let date_worked = parse_date(date_worked).ok_or_else(|| {
        ApiError::invalid_field("time", "date_worked", "ISO-8601 date", date_worked)
    })?;

    if user != actor.username {
        return Err(ApiError::authorization(
            &actor.username,
            &format!("create time entries for {user}"),
        ));
    }
    let project_index = store
        .project_index(project_slug)
        .ok_or_else(|| ApiError::invalid_foreign_key("time", "project"))?;
    let project = &store.projects[project_index];
    check_member(store, &actor, &project.uuid, project_slug)?;

    let (activities, echoed) = if activity_slugs.is_empty() {
        let default = project
            .data()
            .default_activity
            .clone()
            .filter(|uuid| {
                store
                    .activities
                    .iter()
                    .any(|a| &a.uuid == uuid && a.is_live())
            })
            .ok_or_else(|| ApiError::missing_field("time", "activities"))?;
        let echoed = store.activity_slugs(std::slice::from_ref(&default));
        (vec![default], echoed)
    } else {
        let uuids = activity_uuids(store, &activity_slugs)?;
        // The create response echoes what was sent, as the reference's does.
        let echoed = match sent_activities {
            Some(values) => values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            None => activity_slugs.clone(),
        };
        (uuids, echoed)
    };

    let time = Time {
        duration,
        user: actor.username.clone(),
        project: project.uuid.clone(),
        activities,
        notes: notes.map(str::to_owned),
        issue_uri: issue_uri.map(str::to_owned),
        date_worked,
    };
    let record = Record::new(new_uuid(), today(), time);
    let mut out = store.time_out(&record, false);
    out.project = project_slug.into();
    out.activities = echoed;
    store.times.push(record);
    Ok(ok(&out))
}

/// `POST /times/:uuid`: a partial update by the time's author; a new revision.
pub(super) fn update(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let body = req.json()?;
    let actor = shared.body_user(store, &body)?;
    let uuid = identifier(req, "UUID", is_uuid)?;
    let index = store
        .time_index(uuid)
        .filter(|&index| store.times[index].is_live())
        .ok_or_else(|| ApiError::not_found("time"))?;
    let record = &store.times[index];
    if record.data().user != actor.username {
        return Err(ApiError::authorization(
            &actor.username,
            &format!("update time {}", record.uuid),
        ));
    }
    let fields = Fields::new("time", posted_object(&body)?, FIELDS)?;

    let duration = fields.number("duration")?;
    let project_slug = fields.string("project")?;
    let sent_activities = fields.array("activities")?;
    let user = fields.string("user")?;
    let issue_uri = fields.uri("issue_uri")?;
    let date_worked = fields.string("date_worked")?;
    let notes = fields.string("notes")?;
    let mut time = record.data().clone();
    if let Some(duration) = duration {
        time.duration = validate::duration("time", duration)?;
    }
    fields.slug("project")?;
    if sent_activities.is_some_and(Vec::is_empty) {
        // The reference takes `[]` and the time then vanishes from GET; the spec says no.
        return Err(ApiError::invalid_field(
            "time",
            "activities",
            "non-empty array of slugs",
            "empty array",
        ));
    }
    let activity_slugs = fields.slug_list("activities")?;
    if let Some(date) = date_worked {
        time.date_worked = parse_date(date)
            .ok_or_else(|| ApiError::invalid_field("time", "date_worked", "ISO-8601 date", date))?;
    }
    if let Some(user) = user.filter(|user| *user != actor.username) {
        return Err(ApiError::authorization(
            &actor.username,
            &format!("create time entries for {user}"),
        ));
    }
    if let Some(slug) = project_slug {
        let project_index = store
            .project_index(slug)
            .ok_or_else(|| ApiError::invalid_foreign_key("time", "project"))?;
        let project_uuid = store.projects[project_index].uuid.clone();
        check_member(store, &actor, &project_uuid, slug)?;
        time.project = project_uuid;
    }
    if let Some(slugs) = activity_slugs {
        time.activities = activity_uuids(store, &slugs)?;
    }
    if let Some(notes) = notes {
        time.notes = Some(notes.to_owned());
    }
    if let Some(uri) = issue_uri {
        time.issue_uri = Some(uri.to_owned());
    }

    let record = &mut store.times[index];
    record.update(time, today());
    let record = &store.times[index];
    Ok(ok(&store.time_out(record, false)))
}

/// `DELETE /times/:uuid`: the author, site managers and admins; a soft delete.
pub(super) fn delete(shared: &Shared, store: &mut Store, req: &Req) -> Result<Response, ApiError> {
    let actor = shared.query_user(store, &req.query)?;
    let uuid = identifier(req, "UUID", is_uuid)?;
    let index = store
        .time_index(uuid)
        .filter(|&index| store.times[index].is_live())
        .ok_or_else(|| ApiError::not_found("uuid"))?;
    let record = &mut store.times[index];
    if record.data().user != actor.username && !actor.manages_site() {
        return Err(ApiError::authorization(
            &actor.username,
            &format!("delete time {}", record.uuid),
        ));
    }
    record.deleted_at = Some(today());
    Ok(deleted())
}

/// Refuses time on a project the actor is not a member of (site admins may log anywhere).
fn check_member(
    store: &Store,
    actor: &User,
    project_uuid: &str,
    slug: &str,
) -> Result<(), ApiError> {
    if actor.site_admin || store.project_roles(project_uuid, &actor.username).member {
        Ok(())
    } else {
        Err(ApiError::authorization(
            &actor.username,
            &format!("create time entries for project {slug}"),
        ))
    }
}

/// The uuids of live activities, or the reference's 409.
fn activity_uuids(store: &Store, slugs: &[String]) -> Result<Vec<String>, ApiError> {
    slugs
        .iter()
        .map(|slug| {
            store
                .activity_index(slug)
                .map(|index| store.activities[index].uuid.clone())
                .ok_or_else(|| ApiError::invalid_foreign_key("time", "activities"))
        })
        .collect()
}
