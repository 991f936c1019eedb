//! Reading every page of a list, correctly against servers that page and servers that don't.
//!
//! The spec pages lists with `skip` and `limit`; timesync-node 0.1.2 ignores both and returns
//! everything. [`Pager`] asks for pages of a fixed size and decides from each answer whether
//! another page is needed:
//!
//! - more objects than the limit: the server ignores paging and sent everything, so stop;
//! - fewer than the limit: that was the last page, so stop;
//! - exactly the limit: ask for the next page, unless it brought nothing new (a server that
//!   ignores paging and happens to hold exactly `limit` objects sends the same page again).
//!
//! Objects are told apart by a key (uuid, or username for users), so an object that shifts
//! between pages while others are created is returned once. An object that shifts the other
//! way, because others were deleted between two requests, can be missed; a server that pages
//! offers no way to avoid that.

use std::collections::HashSet;

use crate::query::Page;
use crate::{Activity, OrgRole, Project, Time, User};

/// The page size [`Pager::default`] uses.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// The identity of a listed object, for removing duplicates across pages.
pub trait Keyed {
    /// A value that differs between objects and is the same for every copy of one object.
    fn key(&self) -> String;
}

impl Keyed for Time {
    fn key(&self) -> String {
        self.uuid.to_string()
    }
}

impl Keyed for Project {
    fn key(&self) -> String {
        self.uuid.to_string()
    }
}

impl Keyed for Activity {
    fn key(&self) -> String {
        self.uuid.to_string()
    }
}

impl Keyed for User {
    fn key(&self) -> String {
        self.username.to_string()
    }
}

impl Keyed for OrgRole {
    fn key(&self) -> String {
        match (&self.uuid, &self.slug) {
            (Some(uuid), _) => uuid.to_string(),
            (None, Some(slug)) => slug.to_string(),
            (None, None) => self.name.clone(),
        }
    }
}

/// The state of a walk over every page of one list.
///
/// ```
/// use timesync_core::paging::Pager;
///
/// let mut pager = Pager::new(2);
/// let mut all = Vec::new();
/// // A server that ignores paging answers the first request with all three objects.
/// while let Some(page) = pager.next_page() {
///     assert_eq!((page.skip, page.limit), (Some(0), Some(2)));
///     all.extend(pager.accept(vec![("a", 1), ("b", 2), ("c", 3)], |o| o.0.to_owned()));
/// }
/// assert_eq!(all.len(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct Pager {
    limit: u32,
    skip: u32,
    seen: HashSet<String>,
    done: bool,
}

impl Default for Pager {
    fn default() -> Self {
        Pager::new(DEFAULT_PAGE_SIZE)
    }
}

impl Pager {
    /// Walks pages of `page_size` objects; a size of 0 is taken as 1.
    pub fn new(page_size: u32) -> Self {
        Pager {
            limit: page_size.max(1),
            skip: 0,
            seen: HashSet::new(),
            done: false,
        }
    }

    /// The page to ask for next, or `None` when every object has been read.
    pub fn next_page(&self) -> Option<Page> {
        (!self.done).then(|| Page::new(self.skip, self.limit))
    }

    /// Takes the answer to the page from [`Pager::next_page`] and returns the objects not
    /// seen before, in the server's order.
    pub fn accept<T>(&mut self, objects: Vec<T>, key: impl Fn(&T) -> String) -> Vec<T> {
        let received = objects.len();
        let fresh: Vec<T> = objects
            .into_iter()
            .filter(|o| self.seen.insert(key(o)))
            .collect();
        let full_page = u32::try_from(received).is_ok_and(|n| n == self.limit);
        if !full_page || fresh.is_empty() {
            self.done = true;
        } else {
            self.skip = self.skip.saturating_add(self.limit);
        }
        fresh
    }

    /// [`Pager::accept`] for objects with a [`Keyed`] identity.
    pub fn accept_keyed<T: Keyed>(&mut self, objects: Vec<T>) -> Vec<T> {
        self.accept(objects, Keyed::key)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Serves `total` numbered objects, paging or not, and returns what a pager collects.
    fn walk(total: u32, page_size: u32, server_pages: bool) -> (Vec<u32>, usize) {
        let data: Vec<u32> = (0..total).collect();
        let mut pager = Pager::new(page_size);
        let mut all = Vec::new();
        let mut requests = 0;
        while let Some(page) = pager.next_page() {
            requests += 1;
            assert!(requests <= total as usize + 2, "the walk does not end");
            let answer: Vec<u32> = if server_pages {
                let skip = page.skip.unwrap() as usize;
                let limit = page.limit.unwrap() as usize;
                data.iter().copied().skip(skip).take(limit).collect()
            } else {
                data.clone()
            };
            all.extend(pager.accept(answer, |n| n.to_string()));
        }
        (all, requests)
    }

    #[test]
    fn a_paging_server_is_read_page_by_page() {
        assert_eq!(walk(5, 2, true), ((0..5).collect(), 3));
        assert_eq!(walk(4, 2, true), ((0..4).collect(), 3));
        assert_eq!(walk(0, 2, true), (vec![], 1));
    }

    #[test]
    fn a_server_ignoring_paging_is_read_once() {
        assert_eq!(walk(5, 2, false), ((0..5).collect(), 1));
        assert_eq!(walk(2, 2, false), ((0..2).collect(), 2));
        assert_eq!(walk(1, 2, false), ((0..1).collect(), 1));
    }

    proptest! {
        #[test]
        fn nothing_lost_nothing_repeated(total in 0u32..300, size in 0u32..40, pages: bool) {
            let (all, _) = walk(total, size, pages);
            prop_assert_eq!(all, (0..total).collect::<Vec<_>>());
        }
    }
}
