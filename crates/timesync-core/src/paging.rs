//! Reading every page of a list, correctly against servers that page, servers that don't,
//! and servers that page with a smaller limit of their own.
//!
//! The spec pages lists with `skip` and `limit`; timesync-node 0.1.2 ignores both and returns
//! everything, and a server may also cap `limit` at a maximum of its own. [`Pager`] asks for
//! pages of a fixed size and decides from each answer whether another page is needed:
//!
//! - more objects than the limit: the server ignores paging and sent everything, so stop;
//! - nothing new (an empty page, or the same objects again from a server that ignores `skip`):
//!   stop;
//! - otherwise ask for the page after the objects received. A page shorter than the limit is
//!   not taken as the last one, since a server that caps the limit sends short pages all along:
//!   the walk ends with one request that brings nothing new.
//!
//! Two kinds of server cannot be read this way, and the pager cannot tell them from the
//! kinds above: one that honours `skip` but sends more objects than `limit` asks for (taken
//! for a server that ignores paging: only the first page is read), and one that ignores
//! `skip` but honours `limit` (its second page repeats the first: only the first page is
//! read). Against such a server, ask for everything in one call with a large enough page.
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
        let over_limit = u32::try_from(received).map_or(true, |n| n > self.limit);
        if over_limit || fresh.is_empty() {
            self.done = true;
        } else {
            // `received` is at most the limit here, so it fits.
            let received = u32::try_from(received).unwrap_or(self.limit);
            self.skip = self.skip.saturating_add(received);
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
        walk_capped(total, page_size, server_pages, u32::MAX)
    }

    /// As [`walk`], with a paging server that sends at most `cap` objects a page.
    fn walk_capped(total: u32, page_size: u32, server_pages: bool, cap: u32) -> (Vec<u32>, usize) {
        let data: Vec<u32> = (0..total).collect();
        let mut pager = Pager::new(page_size);
        let mut all = Vec::new();
        let mut requests = 0;
        while let Some(page) = pager.next_page() {
            requests += 1;
            assert!(requests <= total as usize + 2, "the walk does not end");
            let answer: Vec<u32> = if server_pages {
                let skip = page.skip.unwrap() as usize;
                let limit = page.limit.unwrap().min(cap) as usize;
                data.iter().copied().skip(skip).take(limit).collect()
            } else {
                data.clone()
            };
            all.extend(pager.accept(answer, |n| n.to_string()));
        }
        (all, requests)
    }

    #[test]
    fn a_paging_server_is_read_page_by_page_until_a_page_brings_nothing() {
        assert_eq!(walk(5, 2, true), ((0..5).collect(), 4));
        assert_eq!(walk(4, 2, true), ((0..4).collect(), 3));
        assert_eq!(walk(0, 2, true), (vec![], 1));
    }

    #[test]
    fn a_server_ignoring_paging_is_read_once_or_twice() {
        assert_eq!(walk(5, 2, false), ((0..5).collect(), 1));
        assert_eq!(walk(2, 2, false), ((0..2).collect(), 2));
        assert_eq!(walk(1, 2, false), ((0..1).collect(), 2));
    }

    #[test]
    fn a_server_with_a_smaller_page_limit_is_read_to_the_end() {
        // 35 objects, pages of 25 asked for, at most 10 sent.
        assert_eq!(walk_capped(35, 25, true, 10), ((0..35).collect(), 5));
        assert_eq!(walk_capped(30, 25, true, 10), ((0..30).collect(), 4));
    }

    proptest! {
        #[test]
        fn nothing_lost_nothing_repeated(
            total in 0u32..300,
            size in 0u32..40,
            pages: bool,
            cap in 1u32..50,
        ) {
            let (all, _) = walk_capped(total, size, pages, cap);
            prop_assert_eq!(all, (0..total).collect::<Vec<_>>());
        }
    }
}
